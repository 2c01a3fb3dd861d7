import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Builds the analyst app when a source is newer than its build, so a fresh checkout or an edited
// source never serves a stale or missing workspace. Run as a script (`tsx analyst-ui/build-if-stale.ts`)
// or call buildAnalystAppIfStale(); `npm run build:ui` always builds.

const uiDir = fileURLToPath(new URL('.', import.meta.url));
const repoDir = join(uiDir, '..');
const builtPage = join(uiDir, 'dist', 'index.html');
/** What the build reads besides analyst-ui itself. */
const sharedInputs = [join(repoDir, 'data', 'taxonomy', 'v1.json'), join(repoDir, 'package-lock.json')];

function newestInput(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestInput(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const mtimeOf = (path: string) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;

export function analystAppIsStale(): boolean {
  const built = mtimeOf(builtPage);
  return built === 0 || Math.max(newestInput(uiDir), ...sharedInputs.map(mtimeOf)) > built;
}

/** Runs the Vite build when the app is stale; returns whether it built. */
export function buildAnalystAppIfStale(): boolean {
  if (!analystAppIsStale()) return false;
  execFileSync(process.execPath, [join(repoDir, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', uiDir], {
    cwd: repoDir,
    stdio: 'inherit',
    // A test runner's NODE_ENV=test would make Preact's preset bundle its debug build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) buildAnalystAppIfStale();
