import type { Readable } from 'node:stream';
import { BodySink, type CollectedBody } from './body-sink.ts';
import { decodeContent } from './decode-content.ts';
import { FetchError } from './errors.ts';

export interface BodyLimits {
  /** Cap on a body held in memory (decodable images and pages); larger ones are hashed only. */
  maxBytes: number;
  /** Cap on any body, raw and decoded, counted while streaming; past it the fetch is `too_large`. */
  maxStreamBytes: number;
}

/** Stops a body transfer; undici reports the destroy as an abort error, which nobody needs. */
export function discard(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

/** The raw chunks of a body, stopping the transfer as soon as the cap is passed. */
async function* capped(body: Readable, cap: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of body) {
    total += (chunk as Buffer).length;
    if (total > cap) throw new FetchError('too_large');
    yield chunk as Buffer;
  }
}

/**
 * Reads a response body, undoing its Content-Encoding, into the exact hashes and (for the types
 * worth it, within `maxBytes`) into memory. Counting happens while it streams, so an endless or
 * inflating body costs at most `maxStreamBytes` of transfer and hashing. Nothing is written anywhere.
 */
export async function readBody(
  body: Readable,
  contentEncoding: string | null,
  declaredLength: number | null,
  limits: BodyLimits,
  onStreaming: () => void = () => {},
): Promise<CollectedBody> {
  body.on('error', () => {}); // the iteration below sees every error; this only keeps destroy quiet
  if (declaredLength !== null && declaredLength > limits.maxStreamBytes) {
    discard(body);
    throw new FetchError('too_large');
  }
  const sink = new BodySink(limits.maxBytes, onStreaming);
  try {
    for await (const chunk of decodeContent(capped(body, limits.maxStreamBytes), contentEncoding)) {
      if (sink.size + chunk.length > limits.maxStreamBytes) {
        chunk.fill(0);
        throw new FetchError('too_large');
      }
      sink.add(chunk);
    }
    return sink.finish();
  } catch (error) {
    sink.drop();
    discard(body);
    throw error;
  }
}
