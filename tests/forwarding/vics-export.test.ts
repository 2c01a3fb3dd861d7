import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { type VicsMedium, vicsMediaHashSet } from '../../src/forwarding/export/vics.ts';
import { projectVicCategoryOf } from '../../src/taxonomy/taxonomy.ts';

const schema = JSON.parse(
  readFileSync(new URL('../../data/schemas/vics-2.0-media-set.schema.json', import.meta.url), 'utf8'),
);
const validate = new Ajv({ allErrors: true }).compile(schema);

const medium = (n: number, over: Partial<VicsMedium> = {}): VicsMedium => ({
  md5: n.toString(16).padStart(32, 'a'),
  sha1: n.toString(16).padStart(40, 'b'),
  sha256: n.toString(16).padStart(64, 'c'),
  pdq: n.toString(16).padStart(64, 'D'),
  blockhash: null,
  size: 1000 + n,
  mimeType: 'image/jpeg',
  label: { legalStatus: 'baseline', content: 'real_abuse' },
  updatedAt: Date.UTC(2026, 10, 3, 12, 30, 15, 250),
  ...over,
});

async function text(media: VicsMedium[]): Promise<string> {
  let out = '';
  for await (const part of vicsMediaHashSet(media)) out += part;
  return out;
}

describe('VICS 2.0 hash set export', () => {
  it('is valid against the Media schema, with categories from the taxonomy and alternative hashes', async () => {
    const media = [
      medium(1),
      medium(2, { label: { legalStatus: null, content: 'computer_generated' }, sha1: null, size: null }),
      medium(3, { label: null, pdq: null, sha256: null, mimeType: null }),
    ];
    const set = JSON.parse(await text(media));
    expect(validate(set), JSON.stringify(validate.errors)).toBe(true);
    expect(set.value.map((m: { MediaID: number }) => m.MediaID)).toEqual([1, 2, 3]);
    const [first, second, third] = set.value;
    expect(first.MD5).toBe(media[0]?.md5.toUpperCase());
    expect(first.Category).toBe(projectVicCategoryOf({ legalStatus: 'baseline', content: 'real_abuse' }));
    expect(first.DateUpdated).toBe('2026-11-03T12:30:15Z');
    expect(first.AlternativeHashes.map((h: { HashName: string }) => h.HashName)).toEqual(['SHA256', 'PDQ']);
    expect(first.AlternativeHashes[1].HashValue).toBe(media[0]?.pdq?.toLowerCase());
    expect(second).not.toHaveProperty('SHA1');
    expect(third).not.toHaveProperty('Category');
    expect(third.IsPrecategorized).toBe(false);
    expect(third.AlternativeHashes).toEqual([]);
  });

  it('an empty set is still a valid document', async () => {
    expect(validate(JSON.parse(await text([])))).toBe(true);
  });

  it('the schema refuses what a reader would refuse', () => {
    const record = { MD5: 'A'.repeat(32), MediaID: 1, IsPrecategorized: false };
    const context = 'http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media';
    expect(validate({ '@odata.context': context, value: [record] })).toBe(true);
    expect(validate({ '@odata.context': context, value: [{ ...record, MD5: 'a'.repeat(32) }] })).toBe(false);
    expect(validate({ '@odata.context': context, value: [{ ...record, MediaID: 1.5 }] })).toBe(false);
    expect(validate({ '@odata.context': context.replace('Default', 'US'), value: [record] })).toBe(false);
    expect(validate({ '@odata.context': context, value: [{ MD5: record.MD5, MediaID: 1 }] })).toBe(false);
  });
});
