import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageMagic } from '../../support/synthetic-images.ts';
import { pngDeclaring } from './crafted-headers.ts';
import { sceneImage, texturedScene } from './textured-scene.ts';

/**
 * Hashes a few hundred synthetic images in a child process whose TMPDIR and data directory are
 * fresh, watches both while it runs (libvips deletes its temporary files when done, so only a
 * watch sees them), then scans them and the system temp directory for any image.
 */

const MAGIC: readonly Buffer[] = [
  ...imageMagic.map((m) => m.bytes),
  Buffer.from('ftypavif'),
  Buffer.from([0x08, 0xf2, 0xa6, 0xb6]), // a libvips image file, e.g. a decoder's temporary file
  Buffer.from([0xb6, 0xa6, 0xf2, 0x08]),
];

interface ChildRun {
  lines: Record<string, string>[];
  /** Names of the files that appeared in or disappeared from the watched directories. */
  fileEvents: string[];
}

let root: string;
let started: number;
const images: Buffer[] = [];
const probes: Buffer[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hotline-at-rest-'));
  started = Date.now();
  const formats = [
    (i: sharp.Sharp) => i.jpeg(),
    (i: sharp.Sharp) => i.png(),
    (i: sharp.Sharp) => i.webp(),
    (i: sharp.Sharp) => i.gif(),
  ];
  for (let seed = 1; seed <= 300; seed++) {
    const pixels = texturedScene(seed, 96, 72);
    const encode = formats[seed % formats.length] as (i: sharp.Sharp) => sharp.Sharp;
    images.push(await encode(sharp(pixels, { raw: { width: 96, height: 72, channels: 3 } })).toBuffer());
    // A piece of the pixels (what decoding the lossless PNGs gives back), to find them in raw form.
    probes.push(pixels.subarray(pixels.length / 2, pixels.length / 2 + 48));
  }
  images.push(await sceneImage(301, 512, 384).avif().toBuffer());
  // Large enough (108 MB decoded) that libvips, left to its defaults, decodes this WebP through a
  // temporary file in TMPDIR.
  images.push(
    await sharp({ create: { width: 6000, height: 6000, channels: 3, background: '#2a6' } })
      .webp()
      .toBuffer(),
  );
  for (const image of images) probes.push(image.subarray(image.length >> 1, (image.length >> 1) + 48));
  // A bomb, refused: a header, no picture (and the same bytes as other tests' bombs, so no probe).
  images.push(pngDeclaring(30_000, 30_000));
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function runChild(name: string, frames: Buffer[], decoder?: 'plain-sharp'): Promise<ChildRun> {
  const dirs = { tmp: path.join(root, name, 'tmp'), data: path.join(root, name, 'data') };
  for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
  const fileEvents: string[] = [];
  const watchers: FSWatcher[] = Object.values(dirs).map((dir) =>
    watch(dir, (_event, file) => {
      // tsx, which runs the child, keeps its compile cache in TMPDIR/tsx-<uid>.
      if (!/^tsx-\d+$/.test(String(file))) fileEvents.push(String(file));
    }),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('tests/triage/signals/hash-child.ts')], {
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
  for (const watcher of watchers) watcher.close();
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return {
    lines: stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line)),
    fileEvents,
  };
}

/** Files under `dir` (modified since `since`, if given) that hold image magic bytes or a probe. */
async function filesHoldingImagery(dir: string, since = 0): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name);
    // tsx's compile cache holds our source code, which spells out magic bytes.
    if (!entry.isFile() || file.split(path.sep).some((part) => /^tsx-\d+$/.test(part))) continue;
    const info = await stat(file).catch(() => null);
    if (!info || info.mtimeMs < since || info.size > 200_000_000) continue;
    const bytes = await readFile(file).catch(() => null);
    if (!bytes) continue;
    const magic = since === 0 && MAGIC.some((m) => bytes.includes(m));
    if (magic || probes.some((p) => bytes.includes(p))) found.push(file);
  }
  return found;
}

describe('no imagery at rest', () => {
  it('leaves no file behind, not even briefly, after hashing a few hundred images', async () => {
    const run = await runChild('hashing', images);
    expect(run.lines).toHaveLength(images.length);
    const hashed = images.map((image) => createHash('sha256').update(image).digest('hex'));
    expect(run.lines.slice(0, -1).map((line) => line.sha256)).toEqual(hashed.slice(0, -1));
    expect(run.lines.at(-1)).toEqual({ refused: 'too_many_pixels' });
    expect(run.fileEvents).toEqual([]);
    expect(await filesHoldingImagery(path.join(root, 'hashing'))).toEqual([]);
    const elsewhere = await filesHoldingImagery(tmpdir(), started);
    expect(elsewhere.filter((file) => !file.startsWith(root))).toEqual([]);
  }, 120_000);

  // Positive controls: the same checks do catch imagery when there is some.
  it('would see the temporary file libvips writes for a large WebP without our decoder policy', async () => {
    const largeWebp = images.at(-2) as Buffer;
    const run = await runChild('control-decoder', [largeWebp], 'plain-sharp');
    expect(run.fileEvents.some((file) => file.endsWith('.v'))).toBe(true);
  }, 120_000);

  it('would find an image file or a piece of decoded pixels written to disk', async () => {
    const dir = path.join(root, 'control-scan');
    await mkdir(dir);
    await writeFile(path.join(dir, 'leaked.png'), images[2] as Buffer);
    await writeFile(path.join(dir, 'pixels.bin'), Buffer.concat([Buffer.alloc(100), probes[7] as Buffer]));
    expect((await filesHoldingImagery(dir)).map((f) => path.basename(f)).sort()).toEqual(['leaked.png', 'pixels.bin']);
  });
});
