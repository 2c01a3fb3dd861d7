import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { computeSignals, DEFAULT_SIGNAL_LIMITS } from '../../src/signals/compute-signals.ts';
import { SignalsError } from '../../src/signals/signals-error.ts';
import { defaultWorkerEntry, SignalsPool } from '../../src/signals/signals-pool.ts';
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

describe('a signals pool whose worker cannot start', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('loads the compiled worker beside a compiled pool, and the tsx bootstrap only from source', () => {
    const built = defaultWorkerEntry('file:///srv/hotline/dist/signals/signals-pool.js');
    expect(built).toEqual({ script: new URL('file:///srv/hotline/dist/signals/signals-worker.js'), eval: false });
    const pool = new URL('../../src/signals/signals-pool.ts', import.meta.url).href;
    const source = defaultWorkerEntry(pool);
    expect(source.eval).toBe(true);
    expect(String(source.script)).toContain(JSON.stringify(new URL('./signals-worker.ts', pool).href));
  });

  it('fails the job with a clear error when the worker script is missing, and refuses new work at once', async () => {
    const missing = new URL('./no-such-worker.js', import.meta.url);
    const broken = new SignalsPool(1, { script: missing, eval: false });
    try {
      const image = await syntheticImage(12);
      await expect(broken.computeSignals(Buffer.from(image), DEFAULT_SIGNAL_LIMITS)).rejects.toThrow(
        /the signals worker could not start: .*no-such-worker\.js/,
      );
      const bytes = Buffer.from(image);
      await expect(broken.computeSignals(bytes, DEFAULT_SIGNAL_LIMITS)).rejects.toThrow(/could not start/);
      expect(bytes.every((byte) => byte === 0)).toBe(true);
    } finally {
      await broken.close();
    }
  });

  it('waits longer before each new start instead of restarting in a loop', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const spawns = new BroadcastChannel('signals-pool-spawns');
    let spawned = 0;
    spawns.onmessage = () => {
      spawned++;
    };
    const script =
      "const c = new BroadcastChannel('signals-pool-spawns'); c.postMessage(1); c.close(); throw new Error('the script cannot load');";
    const broken = new SignalsPool(1, { script, eval: true });
    const until = async (condition: () => boolean) => {
      while (!condition()) await new Promise((resolve) => setImmediate(resolve));
    };
    try {
      await expect(broken.computeSignals(await syntheticImage(13), DEFAULT_SIGNAL_LIMITS)).rejects.toThrow(
        /could not start: the script cannot load/,
      );
      const delays: number[] = [];
      for (let start = 2; start <= 4; start++) {
        await until(() => vi.getTimerCount() === 1);
        expect(spawned).toBe(start - 1);
        const before = Date.now();
        vi.advanceTimersToNextTimer();
        delays.push(Date.now() - before);
        await until(() => spawned === start);
      }
      expect(delays).toEqual([100, 200, 400]);
    } finally {
      spawns.close();
      await broken.close();
    }
  });
});
