import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

describe('logger', () => {
  it('keeps only allow-listed fields', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        route: '/report',
        status: 201,
        ip: '203.0.113.9',
        headers: { 'user-agent': 'x' },
        body: { contact: 'a@b' },
        receipt: 'ABCD',
      },
      'request',
    );
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line.route).toBe('/report');
    expect(line.status).toBe(201);
    for (const field of ['ip', 'headers', 'body', 'receipt', 'pid', 'hostname']) expect(line).not.toHaveProperty(field);
  });

  it('logs an error by type and stack, not by its message, which may quote input', () => {
    const { lines, logger } = capture();
    logger.error({ err: new TypeError('bad value: secret@example.org') }, 'failed');
    const text = lines.join('');
    expect(text).toContain('TypeError');
    expect(text).not.toContain('secret@example.org');
  });

  it('applies the allow-list to the lines of child loggers', () => {
    const { lines, logger } = capture();
    logger.child({ domain: 'intake' }).info({ reportId: 4, url: 'http://example.com/secret' }, 'stored');
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line.domain).toBe('intake');
    expect(line.reportId).toBe(4);
    expect(line).not.toHaveProperty('url');
  });

  it('refuses a child bound to a field outside the allow-list, at any depth', () => {
    const { lines, logger } = capture();
    expect(() => logger.child({ domain: 'intake', ip: '198.51.100.4' })).toThrow(/ip/);
    expect(() => logger.child({ domain: 'intake' }).child({ url: 'http://example.com/' })).toThrow(/url/);
    expect(lines).toEqual([]);
  });
});

describe('logger messages', () => {
  it('never take an error message or interpolated arguments, and keep only code-like codes', () => {
    const { lines, logger } = capture();
    logger.error(new Error('leak-one'));
    logger.info('text %s', 'leak-two');
    logger.warn({ err: Object.assign(new Error('x'), { code: 'leak three' }) }, 'failed');
    logger.warn({ err: Object.assign(new Error('x'), { code: 'SQLITE_BUSY' }) }, 'failed');
    const text = lines.join('');
    for (const leak of ['leak-one', 'leak-two', 'leak three']) expect(text).not.toContain(leak);
    expect(text).toContain('SQLITE_BUSY');
    expect(lines).toHaveLength(4);
  });

  it('write time to the minute only', () => {
    const { lines, logger } = capture();
    logger.info({ event: 'x' }, 'tick');
    expect(JSON.parse(lines[0] ?? '{}').time % 60_000).toBe(0);
  });
});
