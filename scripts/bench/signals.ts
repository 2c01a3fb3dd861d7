import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { computeSignals, DEFAULT_SIGNAL_LIMITS } from '../../src/signals/compute-signals.ts';

/**
 * computeSignals against sharp's bare decode to raw pixels, on the same synthetic 1024x768 JPEGs,
 * in the same run, one image at a time, alternating. vsDecodeOnly = decode-only time /
 * computeSignals time: 1 would mean hashing costs nothing beyond decoding.
 */
const WIDTH = 1024;
const HEIGHT = 768;
const IMAGES = 24;
const ROUNDS = 8;
const GRAIN = 32;

export default async function bench(): Promise<void> {
  const jpegs = await Promise.all(Array.from({ length: IMAGES }, (_, i) => syntheticJpeg(i + 1)));
  const decodeOnly = async (jpeg: Buffer) => {
    await sharp(jpeg).raw().toBuffer();
  };
  const signals = async (jpeg: Buffer) => {
    await computeSignals(jpeg, DEFAULT_SIGNAL_LIMITS);
  };
  const avgJpegBytes = Math.round(jpegs.reduce((sum, jpeg) => sum + jpeg.length, 0) / IMAGES);
  console.log(JSON.stringify({ images: IMAGES, width: WIDTH, height: HEIGHT, avgJpegBytes }));
  await timeEach(jpegs, decodeOnly, signals); // warm-up: JIT, thread pool, allocator

  let decodeMs = 0;
  let signalsMs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const [decode, hash] = await timeEach(jpegs, decodeOnly, signals);
    decodeMs += decode.ms;
    signalsMs += hash.ms;
    console.log(
      JSON.stringify({
        round,
        images: IMAGES,
        decodeOnlyMs: round2(decode.ms),
        computeSignalsMs: round2(hash.ms),
        decodeOnlyCpuMs: round2(decode.cpuMs),
        computeSignalsCpuMs: round2(hash.cpuMs),
      }),
    );
  }
  console.log(
    JSON.stringify({
      bench: 'signals',
      imagesPerSecond: round2((IMAGES * ROUNDS * 1000) / signalsMs),
      vsDecodeOnly: round2(decodeMs / signalsMs),
    }),
  );
}

interface Timing {
  ms: number;
  /** CPU time of the whole process (all threads): less disturbed by other load than wall time. */
  cpuMs: number;
}

/** Each image through the baseline then the subject, so that a burst of load hits both alike. */
async function timeEach(
  jpegs: Buffer[],
  baseline: (jpeg: Buffer) => Promise<void>,
  subject: (jpeg: Buffer) => Promise<void>,
): Promise<[Timing, Timing]> {
  const totals: [Timing, Timing] = [
    { ms: 0, cpuMs: 0 },
    { ms: 0, cpuMs: 0 },
  ];
  for (const jpeg of jpegs) {
    for (const [i, run] of [baseline, subject].entries()) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      await run(jpeg);
      const total = totals[i] as Timing;
      total.ms += performance.now() - start;
      const used = process.cpuUsage(cpu);
      total.cpuMs += (used.user + used.system) / 1000;
    }
  }
  return totals;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * A photo-like synthetic picture: a colour gradient, a few discs, sensor-like grain. At quality 85
 * it compresses to about the size of a photograph of that size (printed as avgJpegBytes).
 */
async function syntheticJpeg(seed: number): Promise<Buffer> {
  let state = seed * 2654435761;
  const random = () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const discs = Array.from({ length: 8 }, () => ({
    x: random() * WIDTH,
    y: random() * HEIGHT,
    r2: (40 + random() * 200) ** 2,
    colour: [random() * 255, random() * 255, random() * 255],
  }));
  const pixels = Buffer.alloc(WIDTH * HEIGHT * 3);
  for (let y = 0, o = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++, o += 3) {
      let rgb = [(x / WIDTH) * 255, (y / HEIGHT) * 255, ((x + y) / (WIDTH + HEIGHT)) * 255];
      for (const disc of discs) if ((x - disc.x) ** 2 + (y - disc.y) ** 2 < disc.r2) rgb = disc.colour;
      for (let c = 0; c < 3; c++)
        pixels[o + c] = Math.max(0, Math.min(255, (rgb[c] as number) + (random() - 0.5) * GRAIN));
    }
  }
  return sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}
