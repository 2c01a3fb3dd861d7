import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import { FetchError } from './errors.ts';

/** Stops a body transfer; undici reports the destroy as an abort error, which nobody needs. */
export function discard(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

/**
 * Reads a response body into memory, counting while it streams and stopping the transfer as soon
 * as the cap is passed, so an endless body costs at most the cap. Nothing is written anywhere.
 */
export async function readCapped(body: Readable, maxBytes: number, declaredLength: number | null): Promise<Buffer> {
  if (declaredLength !== null && declaredLength > maxBytes) {
    discard(body);
    throw new FetchError('too_large');
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      discard(body);
      throw new FetchError('too_large');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, total);
}

const decoders: Record<string, (input: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

/**
 * Undoes Content-Encoding with the same cap on the decoded size, so a small compressed bomb is
 * refused instead of filling memory. Unknown codings leave the bytes as they are: magic-byte
 * typing then finds no media type.
 */
export async function decodeContent(bytes: Buffer, contentEncoding: string | null, maxBytes: number): Promise<Buffer> {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
  let decoded = bytes;
  for (const coding of codings.reverse()) {
    const decode = decoders[coding];
    if (!decode) return bytes;
    try {
      decoded = await decode(decoded, { maxOutputLength: maxBytes });
    } catch (error) {
      const tooLarge = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      throw tooLarge ? new FetchError('too_large') : new FetchError('network', 'undecodable content encoding');
    }
  }
  return decoded;
}
