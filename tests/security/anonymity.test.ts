import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, formTokenOf } from '../support/app.ts';

// Values a reporter's browser or network would reveal. None may reach the disk or a log line.
const spoofedIp = '203.0.113.77';
const userAgent = 'DistinctiveAgent/9.9 (anonymity-probe-UA)';
const cookie = 'tracker=anonymity-probe-cookie';
const contact = 'probe.reporter@example.net';

describe('reporter anonymity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-anon-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores and logs no address, user agent, cookie, header, contact in clear, or receipt', async () => {
    const t = createTestApp({ env: { HOTLINE_DB: join(dir, 'hotline.db'), HOTLINE_TRUST_PROXY: '1' } });
    const probe = (req: request.Test) =>
      req
        .set('X-Forwarded-For', spoofedIp)
        .set('User-Agent', userAgent)
        .set('Cookie', cookie)
        .set('Referer', 'https://referrer-probe.example/');
    const receipts: string[] = [];

    const api = await probe(request(t.app).post('/api/v1/reports'))
      .send({ urls: ['https://example.com/anon'], category: 'csam', siteType: 'website', mediaType: 'image', contact })
      .expect(201);
    receipts.push(api.body.receipt);

    const form = await probe(request(t.app).get('/')).expect(200);
    const page = await probe(request(t.app).post('/report'))
      .type('form')
      .send({
        formToken: formTokenOf(form.text),
        urls: 'https://example.com/anon2',
        category: 'grooming',
        siteType: 'chat',
        mediaType: 'text',
        contact,
        leave_empty: '',
      })
      .expect(200);
    receipts.push(/<output id="receipt">([^<]+)</.exec(page.text)?.[1] ?? 'missing');
    for (const receipt of receipts) {
      await probe(request(t.app).post('/api/v1/status')).send({ receipt }).expect(200);
      await probe(request(t.app).post('/status')).type('form').send({ receipt }).expect(200);
    }
    // The paths that refuse: validation, honeypot, stale token, unknown receipt, throttling, login.
    await probe(request(t.app).post('/api/v1/reports')).send({ urls: [] }).expect(400);
    await probe(request(t.app).post('/report'))
      .type('form')
      .send({ formToken: formTokenOf(form.text), urls: 'https://example.com/x', leave_empty: 'bot' })
      .expect(400);
    await probe(request(t.app).post('/report')).type('form').send({ formToken: 'stale', urls: 'x' }).expect(400);
    await probe(request(t.app).post('/api/v1/status')).send({ receipt: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ' }).expect(404);
    await probe(request(t.app).post('/api/v1/session'))
      .send({ username: 'nobody-here', password: 'wrong password 123', totp: '000000' })
      .expect(401);
    for (let i = 0; i < 25; i++) await probe(request(t.app).post('/api/v1/status')).send({ receipt: 'x' });
    await probe(request(t.app).post('/api/v1/status')).send({ receipt: 'x' }).expect(429);
    await request(t.app)
      .post('/api/v1/reports')
      .set('X-Forwarded-For', '2001:db8:77::77')
      .set('User-Agent', userAgent)
      .send({ urls: ['https://example.com/v6'], category: 'csam', siteType: 'website', mediaType: 'image' })
      .expect(201);

    t.database.sqlite.pragma('wal_checkpoint(PASSIVE)');
    const files = readdirSync(dir).map((name) => readFileSync(join(dir, name)));
    expect(files.length).toBeGreaterThanOrEqual(1);
    const everything = [...files.map((bytes) => bytes.toString('latin1')), ...t.logLines];
    expect(t.logLines.length).toBeGreaterThan(5);
    const forbidden = [
      spoofedIp,
      userAgent,
      'anonymity-probe',
      'referrer-probe',
      contact,
      '127.0.0.1',
      '::ffff:',
      '2001:db8:77',
      'nobody-here',
    ];
    for (const receipt of receipts) forbidden.push(receipt, receipt.replaceAll('-', ''));
    for (const text of everything) {
      for (const value of forbidden) expect(text.includes(value), `found ${value}`).toBe(false);
    }
    // A request log line holds method, route pattern, status and duration, nothing else.
    const requestLines = t.logLines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'request');
    for (const line of requestLines) {
      expect(Object.keys(line).sort()).toEqual([
        'domain',
        'durationMs',
        'level',
        'method',
        'msg',
        'route',
        'status',
        'time',
      ]);
    }
  });
});
