import { fileURLToPath } from 'node:url';
import { buildStale } from '../../scripts/build-if-stale.ts';

/**
 * Vitest global setup: what `npm start` serves is built once, before any test file runs, and only
 * when a source changed. The browser tests of the analyst app serve analyst-ui/dist; the built-server
 * and crash tests run dist/main.js. Test files run in parallel and must not build over each other.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  if (!buildStale(root)) throw new Error('the build of the server or the analyst app failed');
}
