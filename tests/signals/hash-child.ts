/**
 * A separate process for the no-imagery-at-rest test, so that its TMPDIR and data directory are
 * its own and can be watched. Reads length-prefixed files on stdin, hashes each in memory, and
 * writes one JSON line per file: `{"sha256"}` or `{"refused"}`.
 *
 * With HASH_CHILD_DECODER=plain-sharp it decodes with sharp's defaults instead, bypassing our
 * decoder policy: the test's positive control, showing what the watch catches. With
 * HASH_CHILD_DECODER=pool it hashes all the files at once in the worker-thread pool.
 */
async function readFrames(): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const input = Buffer.concat(chunks);
  const frames: Buffer[] = [];
  for (let offset = 0; offset < input.length; ) {
    const length = input.readUInt32BE(offset);
    frames.push(input.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return frames;
}

async function main(): Promise<void> {
  const frames = await readFrames();
  if (process.env.HASH_CHILD_DECODER === 'plain-sharp') {
    const { default: sharp } = await import('sharp');
    for (const bytes of frames) {
      const { info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
      process.stdout.write(`${JSON.stringify({ width: info.width })}\n`);
    }
    return;
  }
  const { computeSignals, DEFAULT_SIGNAL_LIMITS } = await import('../../src/signals/compute-signals.ts');
  const { SignalsError } = await import('../../src/signals/signals-error.ts');
  const { computeSignalsInPool, closeSignalsPool } = await import('../../src/signals/signals-pool.ts');
  const line = async (signals: ReturnType<typeof computeSignals>) => {
    try {
      return { sha256: (await signals).sha256 };
    } catch (error) {
      if (!(error instanceof SignalsError)) throw error;
      return { refused: error.reason };
    }
  };
  const lines =
    process.env.HASH_CHILD_DECODER === 'pool'
      ? await Promise.all(frames.map((bytes) => line(computeSignalsInPool(bytes, DEFAULT_SIGNAL_LIMITS))))
      : [];
  if (process.env.HASH_CHILD_DECODER !== 'pool') {
    for (const bytes of frames) lines.push(await line(computeSignals(bytes, DEFAULT_SIGNAL_LIMITS)));
  }
  await closeSignalsPool();
  for (const result of lines) process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
