import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../../src/forwarding/channels/atomic-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'hotline-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (text: string) => async (out: NodeJS.WritableStream) => {
  out.end(text);
  await new Promise((resolve) => out.once('finish', resolve));
};

describe('writing a file into a drop folder', () => {
  it('makes the folder, writes the whole file owner-only, and replaces it whole on a second delivery', async () => {
    const folder = join(dir, 'police');
    const path = await writeFileAtomically(folder, 'a.zip', write('first'));
    expect(readFileSync(path, 'utf8')).toBe('first');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await writeFileAtomically(folder, 'a.zip', write('second'));
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(folder)).toEqual(['a.zip']);
  });

  it('leaves nothing behind when the write fails, and names the failure by a stable reason', async () => {
    const folder = join(dir, 'failing');
    const failing = async () => {
      throw Object.assign(new Error('disk full at /somewhere'), { code: 'ENOSPC' });
    };
    await expect(writeFileAtomically(folder, 'b.zip', failing)).rejects.toMatchObject({ reason: 'fs:ENOSPC' });
    expect(readdirSync(folder)).toEqual([]);
    writeFileSync(join(dir, 'not-a-folder'), 'x');
    await expect(writeFileAtomically(join(dir, 'not-a-folder'), 'c.zip', write('x'))).rejects.toMatchObject({
      reason: expect.stringMatching(/^fs:E[A-Z]+$/),
    });
  });
});
