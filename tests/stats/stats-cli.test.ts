import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.ts';
import { openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';

let dir: string;
const savedEnv = { ...process.env };

/** Reports received at the given times, straight into a database file. */
function seed(times: { category: string; at: number }[]) {
  const handle = openDatabase(join(dir, 'hotline.db'));
  runMigrations(handle.db);
  const insert = handle.sqlite.prepare(
    "insert into reports (receipt_hash, category, site_type, media_type, received_at) values (?, ?, 'forum', 'text', ?)",
  );
  for (const [n, r] of times.entries()) insert.run(`hash${n}`, r.category, r.at);
  handle.close();
}

async function hotline(argv: string[]) {
  let out = '';
  let err = '';
  const stdout = new PassThrough().on('data', (c) => (out += String(c)));
  const stderr = new PassThrough().on('data', (c) => (err += String(c)));
  const code = await runCli(argv, { stdin: Readable.from(['']), stdout, stderr });
  return { code, out, err };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-stats-cli-'));
  process.env.HOTLINE_DB = join(dir, 'hotline.db');
  process.env.HOTLINE_SECRET_KEY = randomBytes(32).toString('hex');
});
afterEach(() => {
  process.env = { ...savedEnv };
  rmSync(dir, { recursive: true, force: true });
});

const made = [
  { category: 'csam', at: Date.UTC(2025, 11, 31, 23, 59) },
  { category: 'csam', at: Date.UTC(2026, 0, 1, 0, 0) },
  { category: 'grooming', at: Date.UTC(2026, 5, 15) },
  { category: 'csam', at: Date.UTC(2026, 11, 31, 23, 59) },
  { category: 'other', at: Date.UTC(2027, 0, 1) },
];
const in2026 = made.filter((r) => new Date(r.at).getUTCFullYear() === 2026);

describe('hotline stats', () => {
  it('prints the year as one JSON line, counting only reports received in it', async () => {
    seed(made);
    const { code, out } = await hotline(['stats', '--year', '2026']);
    expect(code).toBe(0);
    const stats = JSON.parse(out);
    expect(stats.period).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(stats.reports.total).toBe(in2026.length);
    expect(stats.reports.byCategory.csam).toBe(in2026.filter((r) => r.category === 'csam').length);
    expect(stats.reports.byMonth['2026-12']).toBe(1);
    expect(stats.forwards).toEqual({
      total: 0,
      byDestinationType: { police: 0, partner_hotline: 0, hosting_provider: 0, interpol: 0 },
      byCountry: {},
    });
    expect(stats.timeToRemoval).toMatchObject({ items: 0, medianMs: null });
  });

  it('prints CSV with --format csv', async () => {
    seed(made);
    const { code, out } = await hotline(['stats', '--year', '2025', '--format', 'csv']);
    expect(code).toBe(0);
    expect(out.split('\r\n')).toContain('reports,total,1');
  });

  it.each([[[]], [['--year', '26']], [['--year', '2026', '--format', 'xml']], [['--year', '2026', 'extra']]])(
    'refuses %j with its usage and exit 1',
    async (args) => {
      const { code, out, err } = await hotline(['stats', ...args]);
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toContain('usage: hotline stats');
    },
  );
});
