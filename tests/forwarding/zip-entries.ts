import yauzl from 'yauzl';

/** Every entry of a ZIP as bytes. */
export async function readZipEntries(path: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const zip = await new Promise<yauzl.ZipFile>((ok, ko) =>
    yauzl.open(path, { lazyEntries: true }, (e, z) => (e ? ko(e) : ok(z))),
  );
  await new Promise<void>((ok, ko) => {
    zip.on('entry', (entry: yauzl.Entry) =>
      zip.openReadStream(entry, (e, s) => {
        if (e) return ko(e);
        const chunks: Buffer[] = [];
        s.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
          out.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      }),
    );
    zip.on('end', ok).on('error', ko);
    zip.readEntry();
  });
  return out;
}
