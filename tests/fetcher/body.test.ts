import { createHash } from 'node:crypto';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BodySink } from '../../src/fetcher/body-sink.ts';
import { decodeContent } from '../../src/fetcher/decode-content.ts';

const jpegStart = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const isZero = (chunk: Buffer) => chunk.every((byte) => byte === 0);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Splits bytes into fresh chunks of `size`, as a socket would hand them over. */
function chunksOf(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(Buffer.from(bytes.subarray(at, at + size)));
  return chunks;
}

async function* from(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const chunk of chunks) yield chunk;
}

describe('BodySink', () => {
  it('returns a kept image whole, then overwrites the chunks it held', () => {
    const image = Buffer.concat([jpegStart, Buffer.alloc(10_000, 0x42)]);
    const chunks = chunksOf(image, 1000);
    const sink = new BodySink(1024 * 1024);
    for (const chunk of chunks) sink.add(chunk);
    const body = sink.finish();
    expect(body.bytes?.equals(image)).toBe(true);
    expect(body).toMatchObject({ mediaType: 'image/jpeg', exact: { sha256: sha256(image), size: image.length } });
    expect(chunks.every(isZero)).toBe(true);
  });

  it('overwrites every chunk of a type it does not keep, once hashed', () => {
    const archive = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(20_000, 0x42)]);
    const chunks = chunksOf(archive, 1000);
    const sink = new BodySink(1024 * 1024);
    for (const chunk of chunks) sink.add(chunk);
    const body = sink.finish();
    expect(body).toMatchObject({ mediaType: 'application/zip', bytes: null, exact: { sha256: sha256(archive) } });
    expect(chunks.every(isZero)).toBe(true);
  });

  it('drops an image once it passes the in-memory cap, and keeps hashing', () => {
    const image = Buffer.concat([jpegStart, Buffer.alloc(50_000, 0x42)]);
    const chunks = chunksOf(image, 5000);
    const sink = new BodySink(20_000);
    for (const chunk of chunks) sink.add(chunk);
    expect(chunks.every(isZero)).toBe(true);
    expect(sink.finish()).toMatchObject({ mediaType: 'image/jpeg', bytes: null, exact: { sha256: sha256(image) } });
  });

  it('types a body shorter than the sniffing window when it ends, and gives null for unknown bytes', () => {
    const sink = new BodySink(1000);
    sink.add(Buffer.from('just text'));
    expect(sink.finish()).toMatchObject({ mediaType: null, bytes: null, exact: { size: 9 } });
  });
});

describe('decodeContent', () => {
  it('overwrites each compressed chunk once the decoder has consumed it', async () => {
    const plain = Buffer.alloc(300_000, 0x61);
    const compressed = chunksOf(gzipSync(plain), 64);
    const decoded: Buffer[] = [];
    for await (const chunk of decodeContent(from(compressed), 'gzip')) decoded.push(Buffer.from(chunk));
    expect(Buffer.concat(decoded).equals(plain)).toBe(true);
    expect(compressed.every(isZero)).toBe(true);
  });

  it('reads raw deflate sent as `deflate`, even when its first chunk is one byte', async () => {
    const plain = Buffer.from('raw deflate, as some servers send it');
    const raw = deflateRawSync(plain);
    const chunks = [raw.subarray(0, 1), raw.subarray(1)].map((c) => Buffer.from(c));
    const decoded: Buffer[] = [];
    for await (const chunk of decodeContent(from(chunks), 'deflate')) decoded.push(Buffer.from(chunk));
    expect(Buffer.concat(decoded).toString()).toBe(plain.toString());
  });

  it('undoes stacked codings in reverse order and leaves unknown ones alone', async () => {
    const plain = Buffer.from('twice encoded');
    const twice = gzipSync(deflateRawSync(plain));
    const read = async (chunks: AsyncIterable<Buffer>) => {
      const out: Buffer[] = [];
      for await (const chunk of chunks) out.push(Buffer.from(chunk));
      return Buffer.concat(out);
    };
    expect((await read(decodeContent(from([Buffer.from(twice)]), 'deflate, gzip'))).equals(plain)).toBe(true);
    expect((await read(decodeContent(from([Buffer.from(twice)]), 'zstd'))).equals(twice)).toBe(true);
  });
});
