/**
 * A separate process for the no-imagery-at-rest test, so that its TMPDIR and data directory are
 * its own and can be watched. Reads length-prefixed files on stdin, hashes each in memory, and
 * writes one JSON line per file: `{"sha256"}` or `{"refused"}`.
 *
 * With HASH_CHILD_DECODER=plain-sharp it decodes with sharp's defaults instead, bypassing our
 * decoder policy: the test's positive control, showing what the watch catches.
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
  for (const bytes of frames) {
    try {
      const { sha256 } = await computeSignals(bytes, DEFAULT_SIGNAL_LIMITS);
      process.stdout.write(`${JSON.stringify({ sha256 })}\n`);
    } catch (error) {
      if (!(error instanceof SignalsError)) throw error;
      process.stdout.write(`${JSON.stringify({ refused: error.reason })}\n`);
    }
  }
}

await main();
