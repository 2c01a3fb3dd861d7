import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashInChild, largeWebp, filesHoldingImagery as scan, watchDirectories } from '../support/imagery-at-rest.ts';
import { pngDeclaring } from './crafted-headers.ts';
import { sceneImage, texturedScene } from './textured-scene.ts';

/**
 * Hashes a few hundred synthetic images in a child process whose TMPDIR and data directory are
 * fresh, watches both while it runs (libvips deletes its temporary files when done, so only a
 * watch sees them), then scans them and the system temp directory for any image.
 */

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
  images.push(await largeWebp());
  for (const image of images) probes.push(image.subarray(image.length >> 1, (image.length >> 1) + 48));
  // A bomb, refused: a header, no picture (and the same bytes as other tests' bombs, so no probe).
  images.push(pngDeclaring(30_000, 30_000));
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function runChild(name: string, frames: Buffer[], decoder?: 'plain-sharp' | 'pool'): Promise<ChildRun> {
  const dirs = { tmp: path.join(root, name, 'tmp'), data: path.join(root, name, 'data') };
  for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
  const watch = watchDirectories(Object.values(dirs));
  const { code, stdout, stderr } = await hashInChild(frames, dirs, decoder);
  watch.close();
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return {
    lines: stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line)),
    fileEvents: watch.events,
  };
}

/** Files under `dir` (modified since `since`, if given) that hold image magic bytes or a probe. */
const filesHoldingImagery = (dir: string, since = 0) => scan(dir, probes, since);

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

  it('leaves no file behind when the worker-thread pool hashes them, all at once', async () => {
    const run = await runChild('pool', images, 'pool');
    const hashed = images.map((image) => createHash('sha256').update(image).digest('hex'));
    expect(run.lines.slice(0, -1).map((line) => line.sha256)).toEqual(hashed.slice(0, -1));
    expect(run.lines.at(-1)).toEqual({ refused: 'too_many_pixels' });
    expect(run.fileEvents).toEqual([]);
    expect(await filesHoldingImagery(path.join(root, 'pool'))).toEqual([]);
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
