import { createHash, sign } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, type Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { SigningKey } from '../../key-files.ts';

/** One file of a package; its content is streamed so that large exports keep memory flat. */
export interface PackageFile {
  path: string;
  content: Iterable<string | Buffer> | AsyncIterable<string | Buffer>;
}

export const MANIFEST = 'manifest-sha256.txt';
export const SIGNATURE = 'manifest.sig';

/** `sha256sum` lines (`<hex>  <path>`): a receiver can check an unpacked package with `sha256sum -c`. */
export function manifestText(digests: readonly (readonly [path: string, sha256: string])[]): string {
  return digests.map(([path, sha256]) => `${sha256}  ${path}\n`).join('');
}

/**
 * A package whose writing stopped part way (the client went away, the disk filled up): what had
 * been handed to `out` by then, so that the part that went out can be audited.
 */
export class PackageInterrupted extends Error {
  override readonly name = 'PackageInterrupted';
  constructor(
    override readonly cause: unknown,
    /** Bytes of the ZIP handed to `out`, and their SHA-256. */
    readonly bytes: number,
    readonly sha256: string,
  ) {
    super('the export package was not written to the end');
  }
}

/**
 * Writes a signed package to `out` as a ZIP: the files in order, then `manifest-sha256.txt` (BagIt
 * style, every file's SHA-256) and `manifest.sig`, a raw detached Ed25519 signature over the
 * manifest's bytes that `openssl pkeyutl -verify -rawin` checks. Answers the SHA-256 of the ZIP;
 * throws PackageInterrupted when it could not be written to the end.
 */
export async function writeSignedPackage(
  files: readonly PackageFile[],
  key: SigningKey,
  out: Writable,
  createdAt: Date,
): Promise<{ sha256: string; manifest: string }> {
  const zip = new yazl.ZipFile();
  const packageHash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      packageHash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const written = pipeline(zip.outputStream, tap, out);
  // Handled below, even when it fails while a file's rows are still being read.
  written.catch(() => {});
  try {
    const manifest = await writeEntries(zip, files, key, createdAt, written);
    await written;
    return { sha256: packageHash.digest('hex'), manifest };
  } catch (error) {
    // Ends the pipeline too when the rows, not the output, failed.
    (zip.outputStream as Readable).destroy();
    throw new PackageInterrupted(error, bytes, packageHash.digest('hex'));
  }
}

async function writeEntries(
  zip: yazl.ZipFile,
  files: readonly PackageFile[],
  key: SigningKey,
  createdAt: Date,
  written: Promise<void>,
): Promise<string> {
  const options = { mtime: createdAt, mode: 0o100644 };

  const digests: [string, string][] = [];
  for (const file of files) {
    if (file.path === MANIFEST || file.path === SIGNATURE) throw new Error(`${file.path} is reserved`);
    const entry = new PassThrough();
    const hash = createHash('sha256');
    zip.addReadStream(entry, file.path, options);
    for await (const chunk of file.content) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      hash.update(bytes);
      if (!entry.write(bytes)) await Promise.race([once(entry, 'drain'), written]);
    }
    entry.end();
    digests.push([file.path, hash.digest('hex')]);
  }
  const manifest = manifestText(digests);
  zip.addBuffer(Buffer.from(manifest, 'utf8'), MANIFEST, options);
  zip.addBuffer(sign(null, Buffer.from(manifest, 'utf8'), key.privateKey), SIGNATURE, options);
  zip.end();
  return manifest;
}
