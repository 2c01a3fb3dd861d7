import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvHeader, parseBankCsv } from '../../src/banks/formats/csv.ts';
import { contentCategories } from '../../src/taxonomy/taxonomy.ts';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

describe('parseBankCsv', () => {
  it('reads every signal type with its label and source', async () => {
    const [pdq, blockhash, sha256, sha1, md5] = [hex(32), hex(32), hex(32), hex(20), hex(16)];
    const text = [
      csvHeader,
      `pdq,${pdq},national/real_abuse,NCMEC-1`,
      `blockhash,${blockhash},computer_generated,`,
      `sha256,${sha256},baseline,"ref, with comma"`,
      `sha1,${sha1},not_illegal,"say ""hi"""`,
      `md5,${md5},national/self_generated,x`,
    ].join('\r\n');
    const { rows, errors } = await parseBankCsv(`\uFEFF${text}\r\n`);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 2, signalType: 'pdq', value: pdq, label: 'national/real_abuse', sourceRef: 'NCMEC-1' },
      { line: 3, signalType: 'blockhash', value: blockhash, label: 'computer_generated', sourceRef: null },
      { line: 4, signalType: 'sha256', value: sha256, label: 'baseline', sourceRef: 'ref, with comma' },
      { line: 5, signalType: 'sha1', value: sha1, label: 'not_illegal', sourceRef: 'say "hi"' },
      { line: 6, signalType: 'md5', value: md5, label: 'national/self_generated', sourceRef: 'x' },
    ]);
  });

  it('reports each bad row by its line number and keeps the good ones', async () => {
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
      `md5,${hex(16)} ,national,a`, // 10: trailing space in the value
      `md5,${hex(16)},national,a"`, // 11: a stray quote
    ].join('\n');
    const { rows, errors } = await parseBankCsv(text);
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

  it('refuses a file without the header, reading nothing', async () => {
    const { rows, errors } = await parseBankCsv(`type,value,label,source\nmd5,${hex(16)},national,a\n`);
    expect(rows).toEqual([]);
    expect(errors).toEqual([{ line: 1, message: expect.stringContaining(csvHeader) }]);
  });
});

describe('parseBankCsv quoting and streaming', () => {
  it('takes quoted fields, refuses one spanning lines and stray quotes, each at its own line', async () => {
    const [a, b, c, d] = [hex(16), hex(16), hex(16), hex(16)];
    const text = [
      csvHeader,
      `"md5","${a}",national,"say ""hi"""`, // 2
      `md5,"${hex(16)}`, // 3: a field spanning lines 3 and 4
      `",national,x`, // 4
      `md5,${b},national,x"y`, // 5: a quote inside an unquoted field
      `md5,${d},national,`, // 6
      `md5,"${c}" ,national,x`, // 7: something after a closing quote, which ends the reading
      `md5,${hex(16)},national,`, // 8
    ].join('\n');
    const { rows, errors } = await parseBankCsv(text);
    expect(rows.map((row) => [row.line, row.value, row.sourceRef])).toEqual([
      [2, a, 'say "hi"'],
      [6, d, null],
    ]);
    expect(errors).toEqual([
      { line: 3, message: 'a field spans lines' },
      { line: 5, message: 'malformed quoting (INVALID_OPENING_QUOTE)' },
      { line: 7, message: 'malformed quoting (CSV_INVALID_CLOSING_QUOTE); the rest of the file was not read' },
    ]);
  });

  it('reports a quote never closed after the last entry read, keeping the entries before', async () => {
    const good = hex(16);
    const lines = [csvHeader, `md5,${good},national,`, '', `md5,"${hex(16)},national,`, `md5,${hex(16)},national,`];
    const { rows, errors } = await parseBankCsv(lines.join('\n'));
    expect(rows.map((row) => row.value)).toEqual([good]);
    expect(errors).toEqual([
      { line: 3, message: 'a quote after line 2 is never closed; the rest of the file was not read' },
    ]);
  });

  it('reads a stream whatever its chunks, with the line numbers of the whole file', async () => {
    const values = Array.from({ length: 300 }, () => hex(16));
    const lines = values.map((v, i) => (i === 150 ? 'md5,bad,national,' : `md5,${v},national,`));
    const bytes = Buffer.from(`\uFEFF${[csvHeader, ...lines].join('\r\n')}\r\n`);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const { rows, errors } = await parseBankCsv(Readable.from(chunks));
    expect(rows).toHaveLength(299);
    expect(rows.at(-1)).toMatchObject({ line: 301, value: values[299] });
    expect(errors).toEqual([{ line: 152, message: expect.stringMatching(/32 hex digits/) }]);
  });

  it('refuses an empty file', async () => {
    expect(await parseBankCsv('')).toEqual({
      rows: [],
      errors: [{ line: 1, message: `expected the header ${csvHeader}` }],
    });
  });
});
