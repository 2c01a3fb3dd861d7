import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Something `npm start` serves that is built: its sources, where it is built to, the npm script that builds it. */
export interface BuildTarget {
  name: string;
  sources: readonly string[];
  output: string;
  script: string;
}

/** What `npm start` builds first when its sources are newer than its output. Paths from the repository root. */
export const buildTargets: readonly BuildTarget[] = [
  {
    name: 'server',
    sources: ['src', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.ts'],
    output: 'dist',
    script: 'build',
  },
  {
    name: 'analyst app',
    sources: ['analyst-ui', 'data/taxonomy', 'package-lock.json'],
    output: 'analyst-ui/dist',
    script: 'build:ui',
  },
];

/**
 * Modification times of a file, or of a folder and everything in it. Folders count too: removing
 * or renaming a source changes its folder's time, and the build must then drop its output.
 */
function modificationTimes(path: string): number[] {
  if (!existsSync(path)) return [];
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return [stat.mtimeMs];
  return [
    stat.mtimeMs,
    ...readdirSync(path)
      // A build's own output may sit inside its sources (analyst-ui/dist).
      .filter((name) => name !== 'node_modules' && name !== 'dist')
      .flatMap((name) => modificationTimes(join(path, name))),
  ];
}

/** Stale when the output is missing or empty, or any source changed after the oldest output file. */
export function isStale(target: BuildTarget, root: string): boolean {
  const built = modificationTimes(join(root, target.output));
  if (built.length <= 1) return true;
  const changed = target.sources.flatMap((source) => modificationTimes(join(root, source)));
  return Math.max(...changed) > Math.min(...built);
}

/** Builds each stale target with its npm script; false when a build failed. */
export function buildStale(root: string, targets = buildTargets): boolean {
  for (const target of targets) {
    if (!isStale(target, root)) continue;
    process.stderr.write(`building ${target.name}: ${target.output} is older than its sources\n`);
    const build = spawnSync('npm', ['run', '-s', target.script], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) return false;
  }
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = buildStale(fileURLToPath(new URL('..', import.meta.url))) ? 0 : 1;
}
