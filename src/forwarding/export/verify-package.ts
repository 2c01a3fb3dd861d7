import { createHash, type KeyObject, verify } from 'node:crypto';
import yauzl from 'yauzl';
import { MANIFEST, SIGNATURE } from './package.ts';

export interface PackageCheck {
  ok: boolean;
  /** Every file the manifest lists, with whether its bytes match. */
  files: { path: string; ok: boolean }[];
  /** What is wrong, in plain words; empty when `ok`. */
  problems: string[];
}

/**
 * Checks a package as a receiver would: the signature over the manifest under `publicKey`, every
 * listed file's SHA-256, and no file outside the manifest nor twice in the ZIP (tools that read the
 * first copy of a name and tools that read the last would see different packages, so a forged copy
 * placed before the genuine one must not pass). Reads the ZIP entry by entry.
 */
export async function verifyPackage(zipPath: string, publicKey: KeyObject): Promise<PackageCheck> {
  const actual = new Map<string, string>();
  let manifest: Buffer | undefined;
  let signature: Buffer | undefined;
  const seen = new Set<string>();
  const problems: string[] = [];
  for await (const [name, stream] of entries(zipPath)) {
    if (seen.has(name)) {
      problems.push(`${name} appears more than once`);
      stream.resume();
      continue;
    }
    seen.add(name);
    if (name === MANIFEST) manifest = await bytesOf(stream);
    else if (name === SIGNATURE) signature = await bytesOf(stream);
    else {
      const hash = createHash('sha256');
      for await (const chunk of stream) hash.update(chunk as Buffer);
      actual.set(name, hash.digest('hex'));
    }
  }

  if (!manifest) problems.push(`${MANIFEST} is missing`);
  if (!signature) problems.push(`${SIGNATURE} is missing`);
  if (manifest && signature && !verify(null, manifest, publicKey, signature)) {
    problems.push('the signature does not match the manifest under this public key');
  }
  const listed = manifest ? parseManifest(manifest.toString('utf8'), problems) : new Map<string, string>();
  const files = [...listed].map(([path, sha256]) => {
    const found = actual.get(path);
    if (found === undefined) problems.push(`${path} is listed but missing`);
    else if (found !== sha256) problems.push(`${path} does not match its digest`);
    return { path, ok: found === sha256 };
  });
  for (const path of actual.keys()) if (!listed.has(path)) problems.push(`${path} is not in the manifest`);
  return { ok: problems.length === 0, files, problems };
}

function parseManifest(text: string, problems: string[]): Map<string, string> {
  const listed = new Map<string, string>();
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!match?.[1] || !match[2]) problems.push(`${MANIFEST} line ${index + 1} is malformed`);
    else listed.set(match[2], match[1]);
  }
  return listed;
}

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The entries of a ZIP, one at a time, each as a stream read before the next is opened. */
async function* entries(zipPath: string): AsyncGenerator<[string, NodeJS.ReadableStream]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true, strictFileNames: true }, (error, file) =>
      error ? reject(error) : resolve(file),
    ),
  );
  try {
    while (true) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        zip.once('entry', resolve);
        zip.once('end', () => resolve(null));
        zip.once('error', reject);
        zip.readEntry();
      });
      if (!entry) return;
      zip.removeAllListeners('entry').removeAllListeners('end').removeAllListeners('error');
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        zip.openReadStream(entry, (error, s) => (error ? reject(error) : resolve(s))),
      );
      yield [entry.fileName, stream];
    }
  } finally {
    zip.close();
  }
}
