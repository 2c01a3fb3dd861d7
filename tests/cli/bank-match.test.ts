import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvHeader } from '../../src/banks/formats/csv.ts';
import { runCli } from '../../src/cli/run-cli.ts';
import { atDistance, randomHex } from '../support/hashes.ts';

// The commands run in this process (the configuration comes from process.env, as in the real
// command); one test runs the real `hotline` process.
let dir: string;
const savedEnv = { ...process.env };

async function hotline(argv: string[], stdin = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const code = await runCli(argv, { stdin: Readable.from([stdin]), stdout, stderr });
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

// Each test has a database of its own, seeded with what it needs.
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-cli-'));
  Object.assign(process.env, {
    HOTLINE_DB: join(dir, 'hotline.db'),
    HOTLINE_SECRET_KEY: randomHex(32),
    HOTLINE_LOG_LEVEL: 'silent',
  });
});
afterEach(() => {
  process.env = { ...savedEnv };
  rmSync(dir, { recursive: true, force: true });
});

const pdq = randomHex(32);
const md5 = randomHex(16);
const sha1 = randomHex(20);

/** The partner CSV list (pdq and md5, plus one bad row) and the VICS set (sha1), imported. */
async function seed() {
  const csv = writeFile(
    'list.csv',
    [csvHeader, `pdq,${pdq},national/real_abuse,r1`, `md5,${md5},baseline,`, 'md5,123,baseline,'].join('\n'),
  );
  const vics = writeFile(
    'set.json',
    JSON.stringify({ value: [{ MediaID: 1, Category: 3, SHA1: sha1.toUpperCase() }] }),
  );
  return {
    csv,
    vics,
    partner: await hotline(['bank', 'import', csv, '--bank', 'partner']),
    vic: await hotline(['bank', 'import', vics, '--bank', 'vic']),
  };
}

/** The matches `hotline match` finds for one hash. */
async function matchesOf(type: string, hash: string) {
  const [result] = (await hotline(['match', '--type', type], `${hash}\n`)).lines;
  return (result?.matches ?? []) as { bank: string; entryId: number }[];
}

const summary = { bankCreated: true, bankEnabled: true, relabelled: 0, duplicates: 0 };

describe('hotline bank import', () => {
  it('imports a CSV list, reporting bad rows, and adds nothing the second time', async () => {
    const { csv, partner } = await seed();
    expect(partner.code).toBe(1);
    expect(partner.lines).toEqual([
      { file: csv, line: 4, error: expect.stringMatching(/32 hex digits/) },
      { ...summary, bank: 'partner', rows: 2, inserted: 2, errors: 1 },
    ]);
    const second = await hotline(['bank', 'import', csv, '--bank', 'partner', '--format', 'csv']);
    expect(second.lines.at(-1)).toMatchObject({ bankCreated: false, inserted: 0, duplicates: 2 });
  });

  it('imports a VICS file, recognised by its extension', async () => {
    const { vic } = await seed();
    expect(vic.code).toBe(0);
    expect(vic.lines).toEqual([{ ...summary, bank: 'vic', rows: 1, inserted: 1, errors: 0 }]);
  });

  it('refuses the bank of our own assessments, and says when a bank is disabled', async () => {
    const { csv } = await seed();
    const own = await hotline(['bank', 'import', csv, '--bank', 'hotline']);
    expect(own).toMatchObject({ code: 1, lines: [], stderr: expect.stringMatching(/hotline holds our own/) });
    await hotline(['bank', 'disable', 'vic']);
    const intoDisabled = await hotline(['bank', 'import', csv, '--bank', 'vic']);
    expect(intoDisabled.lines.at(-1)).toMatchObject({ bankEnabled: false, inserted: 2 });
    expect(intoDisabled.stderr).toMatch(/bank vic is disabled/);
  });
});

describe('hotline bank', () => {
  it('lists the banks, from the real hotline process', async () => {
    await seed();
    const result = spawnSync('node_modules/.bin/tsx', ['src/cli/index.ts', 'bank', 'list'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const banks = jsonLines(result.stdout).map(({ name, source, enabled, entries }) => ({
      name,
      source,
      enabled,
      entries,
    }));
    expect(banks).toEqual([
      { name: 'partner', source: 'partner', enabled: true, entries: 2 },
      { name: 'vic', source: 'partner', enabled: true, entries: 1 },
    ]);
  });

  it('creates a bank once; hotline as our own', async () => {
    const created = await hotline(['bank', 'create', 'hotline', '--description', 'our confirmed assessments']);
    expect(created).toMatchObject({ code: 0, lines: [{ bank: 'hotline', source: 'own', created: true }] });
    expect((await hotline(['bank', 'create', 'hotline'])).code).toBe(1);
    expect(await hotline(['bank', 'create', 'other'])).toMatchObject({ lines: [{ bank: 'other', source: 'partner' }] });
  });

  it('refuses a bad bank name, saying what a name may be', async () => {
    const created = await hotline(['bank', 'create', 'Bad Name!']);
    expect(created).toMatchObject({ code: 1, lines: [] });
    expect(created.stderr).toMatch(/bad bank name "Bad Name!": 1 to 64 lowercase letters/);
    const csv = writeFile('list.csv', `${csvHeader}\nmd5,${md5},national,\n`);
    const imported = await hotline(['bank', 'import', csv, '--bank', 'Bad Name!']);
    expect(imported).toMatchObject({ code: 1, lines: [] });
    expect(imported.stderr).toMatch(/bad bank name/);
    expect((await hotline(['bank', 'list'])).lines).toEqual([]);
  });

  it('refuses bad usage with exit code 1', async () => {
    const bad = [
      ['bank'],
      ['bank', 'frob'],
      ['bank', 'list', 'extra'],
      ['bank', 'import', 'f.csv'],
      ['bank', 'import', join(dir, 'missing.csv'), '--bank', 'x'],
      ['bank', 'import', 'f.csv', '--bank', 'x', '--format', 'xml'],
      ['bank', 'enable'],
      ['bank', 'disable-entry', 'x'],
      ['bank', 'enable-entry', '0'],
      ['match'],
      ['match', '--type', 'tlsh'],
    ];
    for (const args of bad) expect((await hotline(args)).code, args.join(' ')).toBe(1);
  });
});

describe('hotline match', () => {
  it('matches one hash a line, with one JSON line per query', async () => {
    await seed();
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

  it('matches nothing of a disabled bank, and all of it again once enabled', async () => {
    await seed();
    const md5Banks = async () => (await matchesOf('md5', md5)).map((m) => m.bank);
    expect(await hotline(['bank', 'disable', 'partner'])).toMatchObject({
      code: 0,
      lines: [{ bank: 'partner', enabled: false }],
    });
    expect(await md5Banks()).toEqual([]);
    expect(await hotline(['bank', 'enable', 'partner'])).toMatchObject({
      code: 0,
      lines: [{ bank: 'partner', enabled: true }],
    });
    expect(await md5Banks()).toEqual(['partner']);
    expect((await hotline(['bank', 'disable', 'nope'])).code).toBe(1);
  });

  it('audits every bank change it makes, as the operator (`system`), and verifies the chain', async () => {
    await seed();
    await hotline(['bank', 'create', 'empty']);
    await hotline(['bank', 'disable', 'partner']);
    await hotline(['bank', 'disable', 'nope']);
    const entryId = (await matchesOf('sha1', sha1))[0]?.entryId;
    await hotline(['bank', 'disable-entry', String(entryId)]);
    await hotline(['bank', 'disable-entry', '999']);
    const db = new Database(process.env.HOTLINE_DB as string, { readonly: true });
    const events = db
      .prepare("select actor, action, object_id, details from audit_events where action like 'bank.%' order by seq")
      .all() as { actor: string; action: string; object_id: string; details: string }[];
    db.close();
    expect(events.map((e) => [e.actor, e.action, e.object_id])).toEqual([
      ['system', 'bank.import', 'partner'],
      ['system', 'bank.import', 'vic'],
      ['system', 'bank.create', 'empty'],
      ['system', 'bank.disable', 'partner'],
      ['system', 'bank.entry_disable', String(entryId)],
    ]);
    expect(JSON.parse(events[0]?.details ?? '{}')).toEqual({
      format: 'csv',
      bankCreated: true,
      rows: 2,
      inserted: 2,
      relabelled: 0,
      errors: 1,
    });
    expect((await hotline(['audit', 'verify'])).code).toBe(0);
  });

  it('disables the entry a match names, and enables it again', async () => {
    await seed();
    const sha1Matches = () => matchesOf('sha1', sha1);
    const entryId = (await sha1Matches())[0]?.entryId;
    expect(await hotline(['bank', 'disable-entry', String(entryId)])).toMatchObject({
      code: 0,
      lines: [{ entryId, enabled: false }],
    });
    expect(await sha1Matches()).toEqual([]);
    expect(await hotline(['bank', 'enable-entry', String(entryId)])).toMatchObject({
      code: 0,
      lines: [{ entryId, enabled: true }],
    });
    expect(await sha1Matches()).toHaveLength(1);
    expect((await hotline(['bank', 'disable-entry', '999'])).code).toBe(1);
  });
});
