import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BuildTarget, buildTargets, isStale } from '../../scripts/build-if-stale.ts';

let root: string;
const target: BuildTarget = { name: 'thing', sources: ['src', 'config.json'], output: 'out', script: 'build' };
const hourAgo = new Date(Date.now() - 3_600_000);
const now = new Date();

/** Writes a file (and its folders) and sets its time, and its folder's, to `at`. */
function put(path: string, at: Date, text = 'x'): void {
  const file = join(root, path);
  const folder = join(file, '..');
  mkdirSync(folder, { recursive: true });
  writeFileSync(file, text);
  utimesSync(file, at, at);
  utimesSync(folder, at, at);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hotline-stale-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('isStale', () => {
  it('is stale with no output, or an empty one', () => {
    put('src/a.ts', hourAgo);
    expect(isStale(target, root)).toBe(true);
    mkdirSync(join(root, 'out'));
    expect(isStale(target, root)).toBe(true);
  });

  it('is fresh when every output is newer than every source', () => {
    put('src/deep/a.ts', hourAgo);
    put('config.json', hourAgo);
    put('out/deep/a.js', now);
    utimesSync(join(root, 'src'), hourAgo, hourAgo);
    utimesSync(join(root, 'out'), now, now);
    expect(isStale(target, root)).toBe(false);
  });

  it('is stale when a source deep in a folder, or a single source file, changed after the build', () => {
    put('src/deep/a.ts', hourAgo);
    put('config.json', hourAgo);
    utimesSync(join(root, 'src'), hourAgo, hourAgo);
    put('out/deep/a.js', hourAgo);
    utimesSync(join(root, 'out'), hourAgo, hourAgo);
    const built = new Date(hourAgo.getTime() + 60_000);
    for (const path of ['out/deep/a.js', 'out/deep', 'out']) utimesSync(join(root, path), built, built);
    expect(isStale(target, root)).toBe(false);
    put('src/deep/a.ts', now);
    expect(isStale(target, root)).toBe(true);
    put('src/deep/a.ts', hourAgo);
    expect(isStale(target, root)).toBe(false);
    put('config.json', now);
    expect(isStale(target, root)).toBe(true);
  });

  it('is stale when a source was removed (its folder changed)', () => {
    put('src/a.ts', hourAgo);
    put('src/b.ts', hourAgo);
    put('out/a.js', now);
    utimesSync(join(root, 'out'), now, now);
    expect(isStale(target, root)).toBe(false);
    rmSync(join(root, 'src/b.ts'));
    utimesSync(join(root, 'src'), new Date(now.getTime() + 60_000), new Date(now.getTime() + 60_000));
    expect(isStale(target, root)).toBe(true);
  });
});

describe('the build targets', () => {
  it('build the server into dist with `npm run build`, from src and the build configuration', () => {
    expect(buildTargets).toContainEqual({
      name: 'server',
      sources: ['src', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.ts'],
      output: 'dist',
      script: 'build',
    });
  });
});
