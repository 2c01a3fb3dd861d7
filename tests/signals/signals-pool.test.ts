import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { computeSignals, DEFAULT_SIGNAL_LIMITS } from '../../src/signals/compute-signals.ts';
import { SignalsError } from '../../src/signals/signals-error.ts';
import { SignalsPool } from '../../src/signals/signals-pool.ts';
import { syntheticImage } from '../support/synthetic-images.ts';
import { pngDeclaring } from './crafted-headers.ts';

const pool = new SignalsPool(2);
afterAll(() => pool.close());

/** The pool zeroes what it is given: each call gets its own copy. */
const ownMemory = (bytes: Buffer) => Buffer.from(bytes);

describe('the signals pool', () => {
  it('gives the same signals as computeSignals, for several images at once', async () => {
    const images = await Promise.all([1, 2, 3, 4, 5].map((seed) => syntheticImage(seed, { format: 'jpeg' })));
    const expected = await Promise.all(
      images.map((image) => computeSignals(Buffer.from(image), DEFAULT_SIGNAL_LIMITS)),
    );
    const pooled = await Promise.all(
      images.map((image) => pool.computeSignals(ownMemory(image), DEFAULT_SIGNAL_LIMITS)),
    );
    expect(pooled).toEqual(expected);
  });

  it("zeroes the caller's bytes at once, even a view into shared memory, and hashes what they were", async () => {
    const image = await syntheticImage(8);
    const shared = Buffer.concat([Buffer.from('head'), image, Buffer.from('tail')]);
    const view = shared.subarray(4, 4 + image.length);
    const signals = pool.computeSignals(view, DEFAULT_SIGNAL_LIMITS);
    expect(view.length).toBe(image.length);
    expect(view.every((byte) => byte === 0)).toBe(true);
    expect(shared.subarray(0, 4).toString()).toBe('head');
    expect(shared.subarray(-4).toString()).toBe('tail');
    expect((await signals).sha256).toBe((await computeSignals(image, DEFAULT_SIGNAL_LIMITS)).sha256);
  });

  it("hands the caller's exact hashes of the bytes to the worker, which does not compute them again", async () => {
    const image = await syntheticImage(9, { format: 'jpeg' });
    const known = { sha256: 'a'.repeat(64), sha1: 'b'.repeat(40), md5: 'c'.repeat(32) };
    const pooled = await pool.computeSignals(ownMemory(image), DEFAULT_SIGNAL_LIMITS, known);
    expect(pooled).toEqual({ ...(await computeSignals(image, DEFAULT_SIGNAL_LIMITS)), ...known });
  });

  it('passes refusals back as SignalsError with their reason and exact hashes', async () => {
    const bomb = pngDeclaring(30_000, 30_000);
    const refusal = await pool.computeSignals(ownMemory(bomb), DEFAULT_SIGNAL_LIMITS).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(SignalsError);
    expect((refusal as SignalsError).reason).toBe('too_many_pixels');
    const direct = await computeSignals(bomb, DEFAULT_SIGNAL_LIMITS).catch((e: unknown) => e);
    expect((refusal as SignalsError).exact).toEqual((direct as SignalsError).exact);
  });

  it('keeps the process alive while it hashes, and lets it end once idle', async () => {
    const child = path.resolve('tests', 'signals', 'pool-child.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', child], { timeout: 60_000 });
    const direct = await computeSignals(await syntheticImage(11), DEFAULT_SIGNAL_LIMITS);
    expect(stdout.trim()).toBe(direct.pdq);
  }, 70_000);

  it('refuses work once closed', async () => {
    const closing = new SignalsPool(1);
    await closing.close();
    await expect(closing.computeSignals(ownMemory(await syntheticImage(9)), DEFAULT_SIGNAL_LIMITS)).rejects.toThrow(
      /closed/,
    );
  });
});
