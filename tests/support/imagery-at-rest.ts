import { spawn } from 'node:child_process';
import { type FSWatcher, watch } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { imageMagic } from './synthetic-images.ts';

// The tools of the zero-imagery-at-rest tests: watch directories while a process runs (libvips
// deletes its temporary files when done, so only a watch sees them), then scan them for imagery.

export const imageryMagic: readonly Buffer[] = [
  ...imageMagic.map((m) => m.bytes),
  Buffer.from('ftypavif'),
  Buffer.from([0x08, 0xf2, 0xa6, 0xb6]), // a libvips image file, e.g. a decoder's temporary file
  Buffer.from([0xb6, 0xa6, 0xf2, 0x08]),
];

/** tsx, which runs child processes, keeps its compile cache (our source code) in TMPDIR/tsx-<uid>. */
const isTsxCache = (name: string) => /^tsx-\d+$/.test(name);

export interface DirectoryWatch {
  /** Names of the files that appeared in, changed in or disappeared from the watched directories. */
  events: string[];
  close(): void;
}

export function watchDirectories(dirs: readonly string[]): DirectoryWatch {
  const events: string[] = [];
  const watchers: FSWatcher[] = dirs.map((dir) =>
    watch(dir, (_event, file) => {
      if (!isTsxCache(String(file))) events.push(String(file));
    }),
  );
  return {
    events,
    close: () => {
      for (const watcher of watchers) watcher.close();
    },
  };
}

/**
 * Files under `dir` that hold image magic bytes or one of `probes` (pieces of the images or their
 * pixels). With `since`, only files modified since then, and only probes: a shared directory
 * holds other programs' images.
 */
export async function filesHoldingImagery(dir: string, probes: readonly Buffer[], since = 0): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || file.split(path.sep).some(isTsxCache)) continue;
    const info = await stat(file).catch(() => null);
    if (!info || info.mtimeMs < since || info.size > 200_000_000) continue;
    const bytes = await readFile(file).catch(() => null);
    if (!bytes) continue;
    const magic = since === 0 && imageryMagic.some((m) => bytes.includes(m));
    if (magic || probes.some((p) => bytes.includes(p))) found.push(file);
  }
  return found;
}

/** Large enough (108 MB decoded) that libvips, left to its defaults, decodes it through a file in TMPDIR. */
export function largeWebp(): Promise<Buffer> {
  return sharp({ create: { width: 6000, height: 6000, channels: 3, background: '#2a6' } })
    .webp()
    .toBuffer();
}

const hashChild = path.resolve('tests/signals/hash-child.ts');

/**
 * Hashes `frames` in a child process (tests/signals/hash-child.ts) with its own TMPDIR and
 * data directory. `plain-sharp` decodes with sharp's defaults, bypassing our decoder policy: what
 * the positive controls use to show the watch would catch a decoder's temporary file.
 */
export async function hashInChild(
  frames: readonly Buffer[],
  dirs: { tmp: string; data: string },
  decoder?: 'plain-sharp' | 'pool',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', hashChild], {
    env: {
      ...process.env,
      TMPDIR: dirs.tmp,
      HOTLINE_DB: path.join(dirs.data, 'hotline.db'),
      ...(decoder ? { HASH_CHILD_DECODER: decoder } : {}),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  for (const frame of frames) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(frame.length);
    child.stdin.write(length);
    child.stdin.write(frame);
  }
  child.stdin.end();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}
