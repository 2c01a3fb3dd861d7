import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.ts';

class Collector extends Writable {
  chunks: string[] = [];

  constructor(private readonly slow = false) {
    // A slow collector with a tiny buffer makes every write ask the command to wait for 'drain'.
    super({ highWaterMark: slow ? 1 : 16 * 1024 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString());
    if (this.slow) setImmediate(done);
    else done();
  }

  get text(): string {
    return this.chunks.join('');
  }

  lines(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

async function run(args: string[], stdinText = '', slow = false) {
  const stdout = new Collector(slow);
  const stderr = new Collector();
  const code = await runCli(['normalize', ...args], { stdin: Readable.from([stdinText]), stdout, stderr });
  return { code, stdout, stderr };
}

describe('hotline normalize', () => {
  it('prints one JSON object per URL argument, with every field, in order', async () => {
    const { code, stdout, stderr } = await run([
      'HTTPS://WWW.Example.com:443/a/../b?utm_source=x&b=2&a=1#top',
      'http://[::ffff:127.0.0.1]:8080/',
    ]);
    expect(code).toBe(0);
    expect(stderr.text).toBe('');
    expect(stdout.lines()).toEqual([
      {
        input: 'HTTPS://WWW.Example.com:443/a/../b?utm_source=x&b=2&a=1#top',
        canonical: 'https://www.example.com/b?utm_source=x&b=2&a=1',
        url: 'https://www.example.com/b?utm_source=x&b=2&a=1',
        dedupKey: 'example.com/b?a=1&b=2',
        host: 'www.example.com',
        registrableDomain: 'example.com',
        isIp: false,
        isOnion: false,
        isLocal: false,
      },
      {
        input: 'http://[::ffff:127.0.0.1]:8080/',
        canonical: 'http://127.0.0.1/',
        url: 'http://127.0.0.1:8080/',
        dedupKey: '127.0.0.1:8080/',
        host: '127.0.0.1',
        registrableDomain: null,
        isIp: true,
        isOnion: false,
        isLocal: true,
      },
    ]);
    expect(Object.keys(stdout.lines()[0] as object)).toEqual([
      'input',
      'canonical',
      'url',
      'dedupKey',
      'host',
      'registrableDomain',
      'isIp',
      'isOnion',
      'isLocal',
    ]);
  });

  it('still answers every input when some are refused, and exits 1', async () => {
    const { code, stdout, stderr } = await run(['ftp://example.com/', 'example.com', 'http://']);
    expect(code).toBe(1);
    expect(stdout.lines()).toEqual([
      { input: 'ftp://example.com/', error: 'unsupported_scheme' },
      expect.objectContaining({ input: 'example.com', canonical: 'http://example.com/' }),
      { input: 'http://', error: 'no_host' },
    ]);
    expect(stderr.text).toContain('2 of 3');
  });

  it('reads one address a line from stdin when no argument is given, skipping blank lines', async () => {
    const { code, stdout } = await run([], 'example.com/a\r\n\n   \nhttps://example.org/"quoted"\n');
    expect(code).toBe(0);
    expect(stdout.lines().map((line) => [line.input, line.canonical])).toEqual([
      ['example.com/a', 'http://example.com/a'],
      // Read as the form reads a pasted line: a quote ends the address (chat messages quote them).
      ['https://example.org/"quoted"', 'https://example.org/'],
    ]);
  });

  it('handles 100,000 lines with batched writes', async () => {
    const inputs = Array.from(
      { length: 100_000 },
      (_, i) => `https://www.example${i % 97}.com/page/${i}?utm_source=x&id=${i}`,
    );
    const { code, stdout } = await run([], inputs.join('\n'));
    expect(code).toBe(0);
    const lines = stdout.lines();
    expect(lines).toHaveLength(100_000);
    expect(lines[99_999]).toMatchObject({
      input: inputs[99_999],
      dedupKey: `example${99_999 % 97}.com/page/99999?id=99999`,
    });
    expect(stdout.chunks.length).toBeLessThan(1_000);
  });

  it('waits for a slow reader instead of buffering without bound', async () => {
    const inputs = Array.from({ length: 5_000 }, (_, i) => `example.com/${i}`);
    const { code, stdout } = await run([], inputs.join('\n'), true);
    expect(code).toBe(0);
    expect(stdout.lines().map((line) => line.input)).toEqual(inputs);
  });
});
