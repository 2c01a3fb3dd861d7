import { spawnSync } from 'node:child_process';
import { cpSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run build`: src compiled to dist (tsc, tsconfig.build.json; type checking is `npm run
 * typecheck`'s job), with the files src reads at run time beside the code (migrations, message
 * catalogues, word lists), so `new URL('./x', import.meta.url)` finds them from dist too. It builds
 * into a scratch folder and swaps it in at the end: dist is always a whole build or the last one.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const scratch = join(root, 'dist.partial');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(scratch, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', scratch], {
  cwd: root,
  stdio: 'inherit',
});
if (compiled.status !== 0) {
  rmSync(scratch, { recursive: true, force: true });
  process.stderr.write('build: tsc failed\n');
  process.exit(1);
}
cpSync(join(root, 'src'), scratch, { recursive: true, filter: (source) => !source.endsWith('.ts') });
rmSync(dist, { recursive: true, force: true });
renameSync(scratch, dist);
