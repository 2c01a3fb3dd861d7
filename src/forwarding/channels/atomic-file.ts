import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { deliveryFailureOf } from './channel.ts';

/**
 * Writes `name` into `folder` so that a receiver watching the folder never sees half a file: the
 * bytes go to a hidden temporary file beside it, are flushed to disk, then renamed into place
 * (atomic on one filesystem). A second write of the same name replaces the first whole. Fails
 * with a DeliveryFailure naming the filesystem's error code.
 *
 * What passes through here is built from database rows only (addresses, hashes, the assessment):
 * fetched content never reaches the database, so none reaches these files either
 * (tests/review/safe-view-at-rest.test.ts scans what delivery writes).
 */
export async function writeFileAtomically(
  folder: string,
  name: string,
  write: (out: Writable) => Promise<unknown>,
): Promise<string> {
  const target = join(folder, name);
  const temporary = join(folder, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const out = createWriteStream(temporary, { mode: 0o600, flags: 'wx' });
    await write(out);
    const handle = await open(temporary, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    return target;
  } catch (error) {
    // Best effort: when the folder itself is what failed, there is no temporary file to remove.
    await rm(temporary, { force: true }).catch(() => {});
    throw deliveryFailureOf('fs', error);
  }
}
