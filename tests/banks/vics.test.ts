import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseVicsJson } from '../../src/banks/formats/vics.ts';

const upperHex = (bytes: number) => randomBytes(bytes).toString('hex').toUpperCase();
const context = 'http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata';

describe('parseVicsJson', () => {
  it('reads a hash set of Media records, lower-casing the hashes and mapping the categories', () => {
    const media = [0, 1, 2, 3].map((category, i) => ({
      MediaID: i + 1,
      Category: category,
      MD5: upperHex(16),
      SHA1: upperHex(20),
    }));
    const { rows, errors } = parseVicsJson(
      JSON.stringify({ '@odata.context': `${context}#Media`, value: media }, null, 2),
    );
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.signalType, r.value, r.label, r.sourceRef])).toEqual(
      media.flatMap((m, i) => {
        const label = ['not_illegal', 'national/real_abuse', 'erotica_posing', 'computer_generated'][i];
        return [
          ['md5', m.MD5.toLowerCase(), label, String(m.MediaID)],
          ['sha1', m.SHA1.toLowerCase(), label, String(m.MediaID)],
        ];
      }),
    );
  });

  it('reads the Media of every case, with only the hashes a record has', () => {
    const md5 = upperHex(16);
    const sha1 = upperHex(20);
    const document = {
      'odata.metadata': 'http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Cases',
      value: [
        { CaseID: 'a', Media: [{ MediaID: 7, Category: 1, MD5: md5, MediaFiles: [{ FileName: 'x.jpg' }] }] },
        { CaseID: 'b', Media: [{ MediaID: 8, Category: '3', SHA1: sha1 }] },
      ],
    };
    const { rows, errors } = parseVicsJson(JSON.stringify(document));
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.signalType, r.value, r.label])).toEqual([
      ['md5', md5.toLowerCase(), 'national/real_abuse'],
      ['sha1', sha1.toLowerCase(), 'computer_generated'],
    ]);
  });

  it('reports each bad record by the line it starts on and keeps the good ones', () => {
    const good = { MediaID: 1, Category: 1, MD5: upperHex(16) };
    const bad = [
      { MediaID: 2, Category: 5, MD5: upperHex(16) },
      { MediaID: 3, Category: 1, MD5: upperHex(20) },
      { MediaID: 4, Category: 1 },
      { MediaID: 5, MD5: upperHex(16) },
      { MediaID: 6, Category: 2, SHA1: 'not hex at all, but "tricky" {braces}' },
      { MediaID: 7, Category: '', MD5: upperHex(16) },
    ];
    const text = JSON.stringify({ '@odata.context': `${context}#Media`, value: [good, ...bad] }, null, 2);
    const { rows, errors } = parseVicsJson(text);
    expect(rows).toHaveLength(1);
    const lines = text.split('\n');
    const recordLine = (id: number) => lines.findIndex((l) => l.includes(`"MediaID": ${id},`));
    // Pretty-printed, a record opens with `{` on the line before its MediaID.
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7].map(recordLine));
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^MediaID 2: Category 5/),
      expect.stringMatching(/^MediaID 3: MD5 must be 32/),
      expect.stringMatching(/^MediaID 4: no MD5 or SHA1/),
      expect.stringMatching(/^MediaID 5: Category null/),
      expect.stringMatching(/^MediaID 6: SHA1 must be 40/),
      expect.stringMatching(/^MediaID 7: Category "" is not 0..3/),
    ]);
  });

  it('refuses what is not a VICS document', () => {
    expect(parseVicsJson('{"value": ').errors).toEqual([{ line: 1, message: expect.stringMatching(/not JSON/) }]);
    expect(parseVicsJson('{"Media": []}').errors).toEqual([{ line: 1, message: expect.stringMatching(/value/) }]);
    expect(parseVicsJson('[1, 2]').rows).toEqual([]);
  });
});
