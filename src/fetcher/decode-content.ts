import { once } from 'node:events';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { FetchError } from './errors.ts';

// Content-Encoding undone while the body streams, so a body of any size is decoded chunk by chunk
// and the caps apply to the decoded bytes (a small compressed bomb is cut like an endless body).

type Chunks = AsyncIterable<Buffer>;

/**
 * `deflate` should be zlib-wrapped (RFC 9110), but some servers send raw deflate, which browsers
 * accept. Inflate would fail on the zlib header check (compression method 8, first two bytes a
 * multiple of 31); making that check first picks the decoder that succeeds, without a retry.
 */
function inflateFor(head: Buffer): Transform {
  const zlibWrapped = head.length >= 2 && ((head[0] ?? 0) & 0x0f) === 8 && head.readUInt16BE(0) % 31 === 0;
  return zlibWrapped ? createInflate() : createInflateRaw();
}

/** A decoder for one coding, given the first bytes of its input. */
type MakeDecoder = (head: Buffer) => Transform;

const decoders = new Map<string, MakeDecoder>([
  ['gzip', () => createGunzip()],
  ['x-gzip', () => createGunzip()],
  ['deflate', inflateFor],
  ['br', () => createBrotliDecompress()],
]);

/** More layers than this are not decoded: no server stacks codings, and each layer costs a decoder. */
const maxCodings = 3;

/** The first chunks of a stream, at least `bytes` long unless the stream ends first. */
async function readHead(input: AsyncIterator<Buffer>, bytes: number): Promise<Buffer[]> {
  const head: Buffer[] = [];
  for (let seen = 0; seen < bytes; ) {
    const next = await input.next();
    if (next.done) break;
    head.push(next.value);
    seen += next.value.length;
  }
  return head;
}

/**
 * Streams chunks through one decoder. Input is written as the decoder accepts it; each compressed
 * chunk is overwritten once zlib has consumed it (best effort: copies inside the runtime, such as
 * socket or TLS buffers, are out of reach). A failure of the decoder itself is `network`.
 */
async function* throughDecoder(source: Chunks, make: MakeDecoder): AsyncGenerator<Buffer> {
  const input = source[Symbol.asyncIterator]();
  const head = await readHead(input, 2);
  const decoder = make(Buffer.concat(head));
  let inputError: unknown = null;
  let decoderFailed = false;
  decoder.on('error', (error) => {
    if (error !== inputError) decoderFailed = true;
  });
  const write = async (chunk: Buffer) => {
    if (!decoder.write(chunk, () => chunk.fill(0))) await once(decoder, 'drain');
  };
  const feed = async () => {
    for (const chunk of head) await write(chunk);
    for (let next = await input.next(); !next.done; next = await input.next()) await write(next.value);
    decoder.end();
  };
  feed().catch((error: unknown) => {
    inputError = error;
    decoder.destroy(error as Error);
  });
  try {
    for await (const chunk of decoder) yield chunk as Buffer;
  } catch (error) {
    throw decoderFailed ? new FetchError('network', 'undecodable content encoding') : error;
  } finally {
    decoder.destroy();
  }
}

/**
 * The decoded chunks of a body sent with `contentEncoding`. Unknown codings (or too many) leave
 * the bytes as they are: magic-byte typing then finds no media type in them.
 */
export function decodeContent(source: Chunks, contentEncoding: string | null): Chunks {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
  const makers = codings.map((c) => decoders.get(c)).filter((make) => make !== undefined);
  if (makers.length !== codings.length || makers.length > maxCodings) return source;
  return makers.reduceRight<Chunks>((chunks, make) => throughDecoder(chunks, make), source);
}
