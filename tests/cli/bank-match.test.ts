import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bank from '../../src/cli/bank.ts';
import type { CliCommand } from '../../src/cli/index.ts';
import match from '../../src/cli/match.ts';
import { csvHeader } from '../../src/triage/banks/csv.ts';
import { atDistance, randomHex } from '../support/hashes.ts';

// The commands run in this process (the configuration comes from process.env, as in the real
// command), on a database file of their own; one test runs the real `hotline` process.
let dir: string;
const savedEnv = { ...process.env };
const commands: Record<string, CliCommand> = { bank, match };

async function hotline([command = '', ...args]: string[], stdin = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const run = commands[command];
  if (!run) throw new Error(`no command ${command} in this test`);
  const code = await run(args, { stdin: Readable.from([stdin]), stdout, stderr });
  stdout.end();
  stderr.end();
  return { code, lines: jsonLines(stdout.read()?.toString() ?? ''), stderr: stderr.read()?.toString() ?? '' };
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function writeFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-cli-'));
  Object.assign(process.env, {
    HOTLINE_DB: join(dir, 'hotline.db'),
    HOTLINE_SECRET_KEY: randomHex(32),
    HOTLINE_LOG_LEVEL: 'silent',
  });
});
afterAll(() => {
  process.env = savedEnv;
  rmSync(dir, { recursive: true, force: true });
});

describe('hotline bank and match', () => {
  const pdq = randomHex(32);
  const md5 = randomHex(16);
  const sha1 = randomHex(20);

  it('imports a CSV list, reporting bad rows, and adds nothing the second time', async () => {
    const csv = writeFile(
      'list.csv',
      [csvHeader, `pdq,${pdq},national/real_abuse,r1`, `md5,${md5},baseline,`, 'md5,123,baseline,'].join('\n'),
    );
    const first = await hotline(['bank', 'import', csv, '--bank', 'partner']);
    expect(first.code).toBe(1);
    expect(first.lines).toEqual([
      { file: csv, line: 4, error: expect.stringMatching(/32 hex digits/) },
      { bank: 'partner', bankCreated: true, rows: 2, inserted: 2, duplicates: 0, errors: 1 },
    ]);
    const second = await hotline(['bank', 'import', csv, '--bank', 'partner', '--format', 'csv']);
    expect(second.lines.at(-1)).toMatchObject({ bankCreated: false, inserted: 0, duplicates: 2 });
  });

  it('imports a VICS file, recognised by its extension', async () => {
    const vics = writeFile(
      'set.json',
      JSON.stringify({ value: [{ MediaID: 1, Category: 3, SHA1: sha1.toUpperCase() }] }),
    );
    const result = await hotline(['bank', 'import', vics, '--bank', 'vic']);
    expect(result.code).toBe(0);
    expect(result.lines).toEqual([{ bank: 'vic', bankCreated: true, rows: 1, inserted: 1, duplicates: 0, errors: 0 }]);
  });

  it('lists the banks, from the real hotline process', () => {
    const result = spawnSync('node_modules/.bin/tsx', ['src/cli/index.ts', 'bank', 'list'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const banks = jsonLines(result.stdout).map(({ name, source, enabled, entries }) => ({
      name,
      source,
      enabled,
      entries,
    }));
    expect(banks).toEqual([
      { name: 'partner', source: 'csv', enabled: true, entries: 2 },
      { name: 'vic', source: 'vics', enabled: true, entries: 1 },
    ]);
  });

  it('matches one hash a line, with one JSON line per query', async () => {
    const near = atDistance(pdq, 7);
    const far = randomHex(32);
    const result = await hotline(['match', '--type', 'pdq'], `${near}\n\n${far}\nnot-a-hash\n`);
    expect(result.lines).toEqual([
      {
        query: near,
        matches: [
          {
            bank: 'partner',
            label: 'national/real_abuse',
            value: pdq,
            distance: 7,
            variant: 'original',
            entryId: expect.any(Number),
          },
        ],
      },
      { query: far, matches: [] },
      { query: 'not-a-hash', error: expect.stringMatching(/64 hex digits/) },
    ]);
    expect(result.code).toBe(1);
    const exact = await hotline(['match', '--type', 'sha1'], `${sha1}\n`);
    expect(exact).toMatchObject({
      code: 0,
      lines: [{ query: sha1, matches: [{ bank: 'vic', label: 'computer_generated', distance: 0, variant: null }] }],
    });
  });

  it('disables a bank, after which it matches nothing', async () => {
    expect(await hotline(['bank', 'disable', 'partner'])).toMatchObject({
      code: 0,
      lines: [{ bank: 'partner', enabled: false }],
    });
    expect((await hotline(['match', '--type', 'md5'], `${md5}\n`)).lines).toEqual([{ query: md5, matches: [] }]);
    expect((await hotline(['bank', 'disable', 'nope'])).code).toBe(1);
  });

  it('disables the entry a match names', async () => {
    const [found] = (await hotline(['match', '--type', 'sha1'], `${sha1}\n`)).lines as {
      matches: { entryId: number }[];
    }[];
    const entryId = found?.matches[0]?.entryId;
    expect(await hotline(['bank', 'disable-entry', String(entryId)])).toMatchObject({
      code: 0,
      lines: [{ entryId, enabled: false }],
    });
    expect((await hotline(['match', '--type', 'sha1'], `${sha1}\n`)).lines).toEqual([{ query: sha1, matches: [] }]);
    expect((await hotline(['bank', 'disable-entry', '999'])).code).toBe(1);
  });

  it('creates a bank once', async () => {
    const created = await hotline(['bank', 'create', 'hotline', '--description', 'our confirmed assessments']);
    expect(created).toMatchObject({ code: 0, lines: [{ bank: 'hotline', created: true }] });
    expect((await hotline(['bank', 'create', 'hotline'])).code).toBe(1);
  });

  it('refuses bad usage with exit code 1', async () => {
    const bad = [
      ['bank'],
      ['bank', 'frob'],
      ['bank', 'import', 'f.csv'],
      ['bank', 'import', join(dir, 'missing.csv'), '--bank', 'x'],
      ['bank', 'import', 'f.csv', '--bank', 'x', '--format', 'xml'],
      ['bank', 'disable-entry', 'x'],
      ['match'],
      ['match', '--type', 'tlsh'],
    ];
    for (const args of bad) expect((await hotline(args)).code, args.join(' ')).toBe(1);
  });
});
