import { fileURLToPath } from 'node:url';
import { buildStale, buildTargets } from '../../scripts/build-if-stale.ts';

/**
 * Vitest global setup: the browser tests of the analyst app serve analyst-ui/dist, so it is built
 * once, before any test file runs, and only when a source changed (test files run in parallel and
 * must not build over each other).
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  if (
    !buildStale(
      root,
      buildTargets.filter((target) => target.output === 'analyst-ui/dist'),
    )
  ) {
    throw new Error('the analyst app did not build');
  }
}
