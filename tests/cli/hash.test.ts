import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.ts';
import { pngDeclaring } from '../signals/crafted-headers.ts';

const fixtures = path.resolve('..', 'shared', 'fixtures');
const jpeg = path.join(fixtures, 'pdq', 'bridge-1-original.jpg');
const png = path.join(fixtures, 'blockhash', 'emptyBasket.png');
const text = path.join(fixtures, 'README.md');

class Collector extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
  lines(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

async function run(args: string[]) {
  const stdout = new Collector();
  const stderr = new Collector();
  const code = await runCli(['hash', ...args], { stdin: Readable.from([]), stdout, stderr });
  return { code, stdout, stderr };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hotline-hash-cli-'));
  // A synthetic bomb: a PNG header declaring 30000x30000 pixels, no picture.
  await writeFile(path.join(dir, 'bomb.png'), pngDeclaring(30_000, 30_000));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hotline hash', () => {
  it('prints one JSON line per file, in order, with every field', async () => {
    const { code, stdout, stderr } = await run([jpeg, png, text]);
    expect(code).toBe(0);
    expect(stderr.text).toBe('');
    const lines = stdout.lines();
    expect(lines.map((l) => l.file)).toEqual([jpeg, png, text]);
    const fields = ['file', 'sha256', 'sha1', 'md5', 'blockhash', 'pdq', 'pdqQuality', 'width', 'height', 'mediaType'];
    for (const line of lines) expect(Object.keys(line)).toEqual(fields);
    expect(lines[0]).toMatchObject({ mediaType: 'image/jpeg', width: 1600, height: 1004, pdqQuality: 100 });
    // The reference set's expected blockhash for this PNG (exact-hashes.txt).
    expect(lines[1]).toMatchObject({
      mediaType: 'image/png',
      blockhash: 'fffffe07e00380009f899f818f0b8c4b9f9fd00fcc07cc03c003e00fe07ff1ff',
    });
    expect(lines[2]).toMatchObject({ blockhash: null, pdq: null, width: null, mediaType: 'application/octet-stream' });
    expect(lines[2]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives refused and unreadable files an error line, hashes the others, and exits 1', async () => {
    const missing = path.join(dir, 'missing.jpg');
    const { code, stdout, stderr } = await run([path.join(dir, 'bomb.png'), missing, png]);
    expect(code).toBe(1);
    const lines = stdout.lines();
    expect(lines[0]).toEqual({ file: path.join(dir, 'bomb.png'), error: 'too_many_pixels' });
    expect(lines[1]).toEqual({ file: missing, error: 'unreadable' });
    expect(lines[2]).toMatchObject({ file: png, mediaType: 'image/png' });
    expect(stderr.text).toContain('too_many_pixels');
    expect(stderr.text).toContain('ENOENT');
  });

  it('takes its limits from the environment, as the pipeline does', async () => {
    const saved = process.env.HOTLINE_MAX_PIXELS;
    process.env.HOTLINE_MAX_PIXELS = '100000';
    try {
      const { code, stdout } = await run([jpeg]);
      expect(code).toBe(1);
      expect(stdout.lines()).toEqual([{ file: jpeg, error: 'too_many_pixels' }]);
    } finally {
      if (saved === undefined) delete process.env.HOTLINE_MAX_PIXELS;
      else process.env.HOTLINE_MAX_PIXELS = saved;
    }
  });

  it('prints its usage and exits 1 without files', async () => {
    const { code, stdout, stderr } = await run([]);
    expect(code).toBe(1);
    expect(stdout.text).toBe('');
    expect(stderr.text).toContain('usage: hotline hash FILE...');
  });
});
