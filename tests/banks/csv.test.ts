import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { csvHeader, parseBankCsv, splitCsvLine } from '../../src/banks/formats/csv.ts';
import { contentCategories } from '../../src/taxonomy/taxonomy.ts';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

describe('parseBankCsv', () => {
  it('reads every signal type with its label and source', () => {
    const [pdq, blockhash, sha256, sha1, md5] = [hex(32), hex(32), hex(32), hex(20), hex(16)];
    const text = [
      csvHeader,
      `pdq,${pdq},national/real_abuse,NCMEC-1`,
      `blockhash,${blockhash},computer_generated,`,
      `sha256,${sha256},baseline,"ref, with comma"`,
      `sha1,${sha1},not_illegal,"say ""hi"""`,
      `md5,${md5},national/self_generated,x`,
    ].join('\r\n');
    const { rows, errors } = parseBankCsv(`\uFEFF${text}\r\n`);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 2, signalType: 'pdq', value: pdq, label: 'national/real_abuse', sourceRef: 'NCMEC-1' },
      { line: 3, signalType: 'blockhash', value: blockhash, label: 'computer_generated', sourceRef: null },
      { line: 4, signalType: 'sha256', value: sha256, label: 'baseline', sourceRef: 'ref, with comma' },
      { line: 5, signalType: 'sha1', value: sha1, label: 'not_illegal', sourceRef: 'say "hi"' },
      { line: 6, signalType: 'md5', value: md5, label: 'national/self_generated', sourceRef: 'x' },
    ]);
  });

  it('reports each bad row by its line number and keeps the good ones', () => {
    const good = hex(16);
    const upper = hex(20).toUpperCase();
    const text = [
      csvHeader,
      `md5,${good},national,a`,
      `md5,${hex(20)},national,a`, // 3: a sha1-sized value
      `sha1,${upper},national,a`, // 4: upper case, taken in lower case
      `pdq,${'z'.repeat(64)},national,a`, // 5: not hex
      `tlsh,${hex(16)},national,a`, // 6: unknown type
      `md5,${hex(16)},illegal,a`, // 7: unknown label
      `md5,${hex(16)},national`, // 8: too few fields
      '', // 9: blank, skipped silently
      `md5,"${hex(16)},national,a`, // 10: unbalanced quote
      `md5,${hex(16)} ,national,a`, // 11: trailing space in the value
    ].join('\n');
    const { rows, errors } = parseBankCsv(text);
    expect(rows.map((r) => r.value)).toEqual([good, upper.toLowerCase()]);
    expect(errors.map((e) => e.line)).toEqual([3, 5, 6, 7, 8, 10, 11]);
    expect(errors[0]?.message).toMatch(/32 hex digits/);
    expect(errors[1]?.message).toMatch(/not hex/);
    expect(errors[2]?.message).toMatch(/signal_type/);
    expect(errors[3]?.message).toBe(
      'unknown label "illegal": a legal status (baseline, national, not_illegal), a content category ' +
        `(${contentCategories.join(', ')}), or both as legal/content (national/real_abuse)`,
    );
  });

  it('refuses a file without the header, reading nothing', () => {
    const { rows, errors } = parseBankCsv(`type,value,label,source\nmd5,${hex(16)},national,a\n`);
    expect(rows).toEqual([]);
    expect(errors).toEqual([{ line: 1, message: expect.stringContaining(csvHeader) }]);
  });
});

describe('splitCsvLine', () => {
  it('splits plain and quoted fields', () => {
    expect(splitCsvLine('a,,"b,c",""""')).toEqual(['a', '', 'b,c', '"']);
    expect(splitCsvLine('a,')).toEqual(['a', '']);
  });

  it('refuses stray quotes', () => {
    for (const line of ['"a', 'a"b', '"a"b', '"a""']) expect(splitCsvLine(line)).toBeNull();
  });
});
