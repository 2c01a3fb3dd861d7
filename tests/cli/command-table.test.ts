import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands.ts';
import { runCli } from '../../src/cli/run-cli.ts';
import { openDatabase } from '../../src/db/client.ts';

let dir: string;
const savedEnv = { ...process.env };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hotline-cli-table-'));
  process.env.HOTLINE_DB = join(dir, 'hotline.db');
  process.env.HOTLINE_SECRET_KEY = randomBytes(32).toString('hex');
});
afterEach(() => {
  process.env = { ...savedEnv };
  rmSync(dir, { recursive: true, force: true });
});

async function hotline(argv: string[], stdin = '') {
  let out = '';
  let err = '';
  const stdout = new PassThrough().on('data', (c) => (out += String(c)));
  const stderr = new PassThrough().on('data', (c) => (err += String(c)));
  const code = await runCli(argv, { stdin: Readable.from([stdin]), stdout, stderr });
  return { code, out, err };
}

const names = Object.keys(commands);

describe('hotline help', () => {
  it.each([[['help']], [['--help']], [['-h']]])('%j lists every command with its one line, exit 0', async (argv) => {
    const { code, out } = await hotline(argv);
    expect(code).toBe(0);
    const lines = out.split('\n').map((line) => line.trim().split(/ {2,}/));
    for (const name of names) expect(lines).toContainEqual([name, commands[name]?.summary]);
  });

  it('without a command lists them on stderr and exits 1', async () => {
    const { code, out, err } = await hotline([]);
    expect([code, out]).toEqual([1, '']);
    expect(err).toContain('no command given');
    for (const name of names) expect(err).toContain(`  ${name} `);
  });

  it('`help COMMAND` prints that command’s usage', async () => {
    expect(await hotline(['help', 'bank'])).toMatchObject({ code: 0, out: commands.bank?.usage });
    expect(await hotline(['help', 'nothing'])).toMatchObject({ code: 1, out: '' });
  });

  it.each(names)('%s --help prints its usage and does nothing else', async (name) => {
    const { code, out, err } = await hotline([name, '--help']);
    expect(code).toBe(0);
    expect(out).toBe(commands[name]?.usage);
    expect(out.startsWith(`usage: hotline ${name}`)).toBe(true);
    expect(err).toBe('');
  });
});

describe('the command table', () => {
  it.each([['open-database'], ['index'], ['run-cli'], ['command'], ['constructor'], ['__proto__'], ['../config']])(
    'refuses %s: only the commands of the table are commands',
    async (name) => {
      const { code, err } = await hotline([name]);
      expect(code).toBe(1);
      expect(err).toContain(`unknown command: ${name}`);
    },
  );

  it('lists exactly the commands of the README’s CLI table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Operator CLI'), readme.indexOf('## Benchmarks'));
    const documented = new Set([...section.matchAll(/^\| `([a-z-]+)[ `]/gm)].map((m) => m[1]));
    expect([...documented].sort()).toEqual([...names].sort());
  });
});

describe('the README’s examples', () => {
  it('`user reset` works as the README writes it', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const written = /`(user reset NAME[^`]*)`/.exec(readme)?.[1] ?? '';
    expect(written).not.toBe('');
    const password = 'a long and unusual passphrase';
    expect((await hotline(['user', 'add', 'erin', '--role', 'analyst', '--password-stdin'], password)).code).toBe(0);
    const argv = written.replace('NAME', 'erin').split(' ');
    const reset = await hotline(argv, 'another long passphrase here\n');
    expect(reset.code).toBe(0);
    expect(JSON.parse(reset.out)).toMatchObject({ username: 'erin', role: 'analyst' });
  });
});

describe('unknown flags', () => {
  it.each([
    [['normalize', '--bogus', 'example.com']],
    [['hash', '--bogus', 'x.png']],
    [['triage', '--bogus', 'example.com']],
    [['items', '--bogus']],
    [['worker', '--bogus']],
    [['match', '--type', 'md5', '--bogus']],
    [['bank', 'list', '--bogus']],
    [['user', 'list', '--bogus']],
    [['audit', 'verify', '--bogus']],
    [['migrate', '--bogus']],
  ])('%j is refused with the usage, exit 1, nothing on stdout', async (argv) => {
    const { code, out, err } = await hotline(argv);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain("Unknown option '--bogus'");
    expect(err).toContain(`usage: hotline ${argv[0]}`);
  });

  it('normalize takes an address after -- as an address, even one that looks like a flag', async () => {
    const { out } = await hotline(['normalize', '--', '--bogus']);
    expect(JSON.parse(out)).toMatchObject({ input: '--bogus' });
  });
});

describe('hotline migrate', () => {
  const appliedMigrations = () => {
    const handle = openDatabase(process.env.HOTLINE_DB ?? '');
    try {
      return (handle.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
    } finally {
      handle.close();
    }
  };

  it('applies every migration to a new database, then has nothing left to apply', async () => {
    const first = await hotline(['migrate']);
    expect(first.code).toBe(0);
    const done = JSON.parse(first.out);
    expect(done.database).toBe(process.env.HOTLINE_DB);
    expect(done.total).toBe(appliedMigrations());
    expect(done.applied).toBe(done.total);
    expect(done.total).toBeGreaterThan(0);
    const again = JSON.parse((await hotline(['migrate'])).out);
    expect(again).toEqual({ ...done, applied: 0 });
  });
});

describe('domain errors in the CLI', () => {
  it('exit 1 with the English message, not a crash', async () => {
    const { code, out, err } = await hotline(['user', 'disable', 'nobody']);
    expect([code, out]).toEqual([1, '']);
    expect(err).toMatch(/^not_found: /);
  });
});

describe('a bad environment', () => {
  it('lists the problem and exits 1', async () => {
    process.env.HOTLINE_FETCH = 'maybe';
    const { code, out, err } = await hotline(['migrate']);
    expect([code, out]).toEqual([1, '']);
    expect(err).toContain('invalid configuration');
    expect(err).toContain('HOTLINE_FETCH');
  });
});

describe('the real hotline process', () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
      encoding: 'utf8',
      env: { ...process.env },
    });

  it('exits 2 on a failure that is not bad input', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'migrate'], {
      encoding: 'utf8',
      env: { ...process.env, HOTLINE_DB: dir },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^hotline: /);
  });

  it('exits 0 for help and 1 for a file that is not a command', () => {
    expect(run(['help']).status).toBe(0);
    const refused = run(['open-database']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('unknown command: open-database');
  });
});
