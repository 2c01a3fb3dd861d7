import { sql } from 'drizzle-orm';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { deriveKey, open } from '../../src/crypto/seal.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { countRows, row, rows } from '../support/db.ts';

const valid = {
  urls: ['https://www.example.com/gallery/1'],
  category: 'csam',
  siteType: 'website',
  mediaType: 'image',
};

const count = (t: TestApp, table: string) => countRows(t.database, table);

function nothingStored(t: TestApp) {
  expect(count(t, 'reports')).toBe(0);
  expect(count(t, 'items')).toBe(0);
  expect(count(t, 'report_urls')).toBe(0);
  expect(count(t, 'jobs')).toBe(0);
}

describe('POST /api/v1/reports', () => {
  let t: TestApp;
  beforeEach(() => {
    t = createTestApp();
  });

  it('stores a valid report with its items and triage jobs, and returns a receipt once', async () => {
    const res = await request(t.app)
      .post('/api/v1/reports')
      .send({
        ...valid,
        urls: ['https://www.example.com/gallery/1', 'http://example.org/x'],
        description: 'seen on a forum',
        contact: 'me@example.net',
        lang: 'nl',
      })
      .expect(201);
    expect(res.body.status).toBe('received');
    expect(res.body.receipt).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(count(t, 'reports')).toBe(1);
    expect(count(t, 'items')).toBe(2);
    expect(count(t, 'report_urls')).toBe(2);
    expect(count(t, 'jobs')).toBe(2);
    const report = row(t.database, 'select * from reports');
    expect(report.lang).toBe('nl');
    expect(report.receipt_hash).not.toContain(res.body.receipt.replaceAll('-', ''));
    expect(report.contact_ciphertext).toBeTruthy();
    expect(report.contact_ciphertext).not.toContain('me@example.net');
    // The address opens only in its own report's row: copied to another, it no longer opens.
    const contactKey = deriveKey(t.config.secretKey, 'contact');
    const place = { table: 'reports', column: 'contact_ciphertext', rowId: report.id };
    expect(open(contactKey, report.contact_ciphertext, place)).toBe('me@example.net');
    expect(() => open(contactKey, report.contact_ciphertext, { ...place, rowId: report.id + 1 })).toThrow();
    expect(report.received_at % 60_000).toBe(0);
  });

  it('keeps the language only when there is a contact address to answer in it', async () => {
    await request(t.app)
      .post('/api/v1/reports')
      .send({ ...valid, lang: 'de' })
      .expect(201);
    expect(row(t.database, 'select lang from reports').lang).toBeNull();
  });

  it('merges three shapes of one page into one item with report count 3', async () => {
    for (const url of [
      'https://www.Example.com/a/b?utm_source=x#top',
      'http://example.com/a/./b',
      'EXAMPLE.com/a//b',
    ]) {
      await request(t.app)
        .post('/api/v1/reports')
        .send({ ...valid, urls: [url] })
        .expect(201);
    }
    const items = rows(t.database, 'select report_count, dedup_key from items');
    expect(items).toHaveLength(1);
    expect(items[0]?.report_count).toBe(3);
    expect(count(t, 'reports')).toBe(3);
    expect(count(t, 'jobs')).toBe(1);
    const inputs = rows(t.database, 'select input from report_urls order by id').map((r) => r.input);
    expect(inputs).toEqual([
      'https://www.Example.com/a/b?utm_source=x#top',
      'http://example.com/a/./b',
      'EXAMPLE.com/a//b',
    ]);
  });

  it('counts an item once when one report lists it twice', async () => {
    await request(t.app)
      .post('/api/v1/reports')
      .send({ ...valid, urls: ['http://example.com/p', 'https://www.example.com/p'] })
      .expect(201);
    expect(row(t.database, 'select report_count from items').report_count).toBe(1);
    expect(count(t, 'report_urls')).toBe(2);
  });

  it('creates no new work for a report of an item already assessed, and the report takes its status', async () => {
    await request(t.app).post('/api/v1/reports').send(valid).expect(201);
    // review_status is never written by the review; even a stale `forwarded` there must not show.
    t.database.sqlite.prepare("update items set assessed_at = 1, review_status = 'forwarded'").run();
    t.database.sqlite.prepare('insert into item_reviews (item_id, in_review_at, decided_at) values (1, 1, 1)').run();
    t.database.sqlite.prepare('delete from jobs').run();
    const res = await request(t.app).post('/api/v1/reports').send(valid).expect(201);
    expect(count(t, 'jobs')).toBe(0);
    expect(row(t.database, 'select report_count from items').report_count).toBe(2);
    // The decision counts as made when this report arrived, and shows only after the status delay.
    const check = () => request(t.app).post('/api/v1/status').send({ receipt: res.body.receipt }).expect(200);
    expect((await check()).body).toEqual({ status: 'received' });
    t.clock.advance(48 * 3_600_000);
    expect((await check()).body).toEqual({ status: 'closed' });
  });

  it('needs only the addresses: what the reporter does not know is stored as unknown', async () => {
    await request(t.app)
      .post('/api/v1/reports')
      .send({ urls: ['https://www.example.com/only'] })
      .expect(201);
    await request(t.app)
      .post('/api/v1/reports')
      .send({ urls: ['https://www.example.com/two'], category: 'unknown', siteType: 'video_platform', mediaType: '' })
      .expect(201);
    expect(rows(t.database, 'select category, site_type, media_type from reports order by id')).toEqual([
      { category: 'unknown', site_type: 'unknown', media_type: 'unknown' },
      { category: 'unknown', site_type: 'video_platform', media_type: 'unknown' },
    ]);
  });

  const refusals: [string, Record<string, unknown>, string][] = [
    ['no urls', { ...valid, urls: [] }, 'urls'],
    ['21 urls', { ...valid, urls: Array.from({ length: 21 }, (_, i) => `http://example.com/${i}`) }, 'urls'],
    ['urls not an array', { ...valid, urls: 'http://example.com' }, 'urls'],
    ['a javascript: address', { ...valid, urls: ['javascript:alert(1)'] }, 'urls'],
    ['a data: address', { ...valid, urls: ['data:text/html,hi'] }, 'urls'],
    ['a file: address', { ...valid, urls: ['file:///etc/passwd'] }, 'urls'],
    ['a mailto: address', { ...valid, urls: ['mailto:someone@example.com'] }, 'urls'],
    ['an address without a host', { ...valid, urls: ['http://'] }, 'urls'],
    ['a loopback address', { ...valid, urls: ['http://127.0.0.1/x'] }, 'urls'],
    ['a private address', { ...valid, urls: ['http://192.168.1.1/'] }, 'urls'],
    ['localhost', { ...valid, urls: ['http://localhost:8080/'] }, 'urls'],
    ['an unknown category', { ...valid, category: 'spam' }, 'category'],
    ['an unknown siteType', { ...valid, siteType: 'darknet' }, 'siteType'],
    ['a numeric mediaType', { ...valid, mediaType: 3 }, 'mediaType'],
    ['a long description', { ...valid, description: 'x'.repeat(2001) }, 'description'],
    ['a bad contact', { ...valid, contact: 'not an address' }, 'contact'],
    ['an unknown field', { ...valid, name: 'Jane' }, 'name'],
    ['an unknown language', { ...valid, lang: 'xx' }, 'lang'],
  ];
  for (const [name, body, field] of refusals) {
    it(`refuses ${name} with a message naming the field, and stores nothing`, async () => {
      const res = await request(t.app).post('/api/v1/reports').set('Accept-Language', 'de').send(body).expect(400);
      expect(res.body.error).toBe('validation');
      expect(typeof res.body.fields[field]).toBe('string');
      expect(res.body.fields[field].length).toBeGreaterThan(10);
      nothingStored(t);
    });
  }

  it('localises the field messages', async () => {
    const nl = await request(t.app)
      .post('/api/v1/reports')
      .send({ ...valid, urls: [], lang: 'nl' })
      .set('Accept-Language', 'nl');
    const en = await request(t.app)
      .post('/api/v1/reports')
      .send({ ...valid, urls: [] })
      .set('Accept-Language', 'en');
    expect(nl.body.fields.urls).toBe('Geef minstens één webadres op.');
    expect(en.body.fields.urls).toBe('Enter at least one web address.');
  });

  it('refuses invalid JSON, a non-object body, a wrong content type and an oversized body', async () => {
    await request(t.app)
      .post('/api/v1/reports')
      .set('Content-Type', 'application/json')
      .send('{"urls":')
      .expect(400)
      .then((res) => expect(res.body.error).toBe('invalid_json'));
    await request(t.app).post('/api/v1/reports').set('Content-Type', 'application/json').send('[1,2]').expect(400);
    await request(t.app).post('/api/v1/reports').set('Content-Type', 'text/plain').send('hello').expect(415);
    const huge = { ...valid, description: 'x'.repeat(40_000) };
    const res = await request(t.app).post('/api/v1/reports').send(huge).expect(413);
    expect(res.body.error).toBe('payload_too_large');
    nothingStored(t);
  });
});

describe('POST /api/v1/status', () => {
  it('answers the status for a receipt, however it is typed, and 404 for an unknown one', async () => {
    const t = createTestApp();
    const { body } = await request(t.app).post('/api/v1/reports').send(valid).expect(201);
    const receipt: string = body.receipt;
    await request(t.app).post('/api/v1/status').send({ receipt }).expect(200, { status: 'received' });
    const sloppy = ` ${receipt.toLowerCase().replaceAll('-', ' ')} `;
    await request(t.app).post('/api/v1/status').send({ receipt: sloppy }).expect(200, { status: 'received' });
    t.database.db.run(sql`insert into item_reviews (item_id, in_review_at) select id, ${t.clock.now()} from items`);
    t.clock.advance(48 * 3_600_000);
    await request(t.app).post('/api/v1/status').send({ receipt }).expect(200, { status: 'in_review' });
    const flipped = (receipt[0] === 'A' ? 'B' : 'A') + receipt.slice(1);
    const res = await request(t.app).post('/api/v1/status').send({ receipt: flipped }).expect(404);
    expect(res.body.error).toBe('receipt_not_found');
    await request(t.app).post('/api/v1/status').send({ receipt: '' }).expect(400);
    await request(t.app).post('/api/v1/status').send({}).expect(400);
  });
});

describe('throttling', () => {
  it('answers 429 with a localised message past the limit, per client', async () => {
    const t = createTestApp({ env: { HOTLINE_REPORT_LIMIT: '2' } });
    await request(t.app).post('/api/v1/reports').send(valid).expect(201);
    await request(t.app).post('/api/v1/reports').send(valid).expect(201);
    const res = await request(t.app).post('/api/v1/reports').set('Accept-Language', 'fr').send(valid).expect(429);
    expect(res.body.message).toMatch(/Trop de demandes/);
    expect(count(t, 'reports')).toBe(2);
    t.clock.advance(10 * 60_000);
    await request(t.app).post('/api/v1/reports').send(valid).expect(201);
  });

  it('counts clients apart behind a trusted proxy', async () => {
    const t = createTestApp({ env: { HOTLINE_REPORT_LIMIT: '1', HOTLINE_TRUST_PROXY: '1' } });
    const from = (ip: string) => request(t.app).post('/api/v1/reports').set('X-Forwarded-For', ip).send(valid);
    await from('198.51.100.1').expect(201);
    await from('198.51.100.1').expect(429);
    await from('198.51.100.2').expect(201);
    await from('2001:db8::1').expect(201);
    await from('2001:db8::2').expect(429);
  });
});

describe('the test-only fetch allowance', () => {
  it('lets intake accept a loopback address at exactly an allowed pair, and nothing else local', async () => {
    const t = createTestApp({ env: { HOTLINE_FETCH_ALLOW: '127.0.0.1:4567' } });
    await request(t.app)
      .post('/api/v1/reports')
      .send({ ...valid, urls: ['http://127.0.0.1:4567/img.png'] })
      .expect(201);
    for (const url of [
      'http://127.0.0.1:4568/',
      'http://localhost:4567/',
      'http://127.0.0.2:4567/',
      'http://[::1]:4567/',
    ]) {
      await request(t.app)
        .post('/api/v1/reports')
        .send({ ...valid, urls: [url] })
        .expect(400);
    }
    expect(count(t, 'reports')).toBe(1);
  });
});

describe('priority at intake', () => {
  it('rises as more people report an item, with the reasons kept', async () => {
    const t = createTestApp();
    await request(t.app)
      .post('/api/v1/reports')
      .send({ ...valid, category: 'other' })
      .expect(201);
    const first = row(t.database, 'select priority, priority_reasons from items');
    await request(t.app).post('/api/v1/reports').send(valid).expect(201);
    await request(t.app).post('/api/v1/reports').send(valid).expect(201);
    const later = row(t.database, 'select priority, priority_reasons from items');
    expect(later.priority).toBeGreaterThan(first.priority);
    const codes = JSON.parse(later.priority_reasons).map((r: { code: string }) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['category', 'reports']));
  });
});

describe('share identifiers', () => {
  it('are neither stored on the item nor fetched: the item keeps the address without them', async () => {
    const t = createTestApp();
    const pasted = 'https://example.com/p?x=1&fbclid=IwAR123&si=shareid42&utm_medium=social';
    await request(t.app)
      .post('/api/v1/reports')
      .send({ ...valid, urls: [pasted] })
      .expect(201);
    const item = row(t.database, 'select url, canonical_url from items');
    expect(item.url).toBe('https://example.com/p?x=1');
    expect(item.canonical_url).toBe('https://example.com/p?x=1');
    expect(row(t.database, 'select input from report_urls').input).toBe(pasted); // the reporter's text, never fetched
  });
});

describe('odd field names', () => {
  it('name a __proto__ field like any other unknown field', async () => {
    const t = createTestApp();
    const res = await request(t.app)
      .post('/api/v1/reports')
      .set('Content-Type', 'application/json')
      .send(
        `{"urls":["http://example.com/"],"category":"csam","siteType":"website","mediaType":"image","__proto__":{"x":1}}`,
      )
      .expect(400);
    expect(Object.keys(res.body.fields)).toEqual(['__proto__']);
    nothingStored(t);
  });

  it('name an unknown field in a status check instead of asking for the code', async () => {
    const t = createTestApp();
    const res = await request(t.app).post('/api/v1/status').send({ receipt: 'ABCD', extra: 1 }).expect(400);
    expect(Object.keys(res.body.fields)).toEqual(['extra']);
    const typed = await request(t.app).post('/api/v1/status').send({ receipt: 42 }).expect(400);
    expect(Object.keys(typed.body.fields)).toEqual(['receipt']);
  });
});

describe('items reported again', () => {
  it('are triaged again when they were unreachable or failed, not when pending or ready', async () => {
    const t = createTestApp();
    await request(t.app).post('/api/v1/reports').send(valid).expect(201);
    const job = () => row(t.database, 'select status, attempts from jobs');
    t.database.sqlite.prepare("update jobs set status = 'done', attempts = 1").run();
    t.database.sqlite.prepare("update items set state = 'ready'").run();
    await request(t.app).post('/api/v1/reports').send(valid).expect(201);
    expect(job().status).toBe('done');
    t.database.sqlite.prepare("update items set state = 'unreachable', state_reason = 'timeout'").run();
    await request(t.app).post('/api/v1/reports').send(valid).expect(201);
    expect(job()).toEqual({ status: 'pending', attempts: 0 });
    t.database.sqlite.prepare("update jobs set status = 'failed', attempts = 5").run();
    t.database.sqlite.prepare("update items set state = 'failed'").run();
    await request(t.app).post('/api/v1/reports').send(valid).expect(201);
    expect(job()).toEqual({ status: 'pending', attempts: 0 });
    expect(countRows(t.database, 'jobs')).toBe(1);
  });

  it('are fetched at the address the first reporter gave, as a browser reads it', async () => {
    const t = createTestApp();
    await request(t.app)
      .post('/api/v1/reports')
      .send({ ...valid, urls: ['https://cdn.example.com/a%2Fb.jpg?sig=x%2By#f'] })
      .expect(201);
    expect(row(t.database, 'select url from items').url).toBe('https://cdn.example.com/a%2Fb.jpg?sig=x%2By');
  });
});

describe('when triage may start', () => {
  it('is after the minute the report arrived, at a random second, so fetch times do not tell the second', async () => {
    const t = createTestApp();
    t.clock.set(Date.UTC(2026, 10, 29, 12, 0, 17, 250));
    const minuteEnd = Date.UTC(2026, 10, 29, 12, 1, 0);
    const seen = new Set<number>();
    for (let i = 0; i < 8; i++) {
      await request(t.app)
        .post('/api/v1/reports')
        .send({ ...valid, urls: [`http://example.com/${i}`] })
        .expect(201);
    }
    for (const job of rows(t.database, 'select available_at, created_at from jobs')) {
      expect(job.available_at).toBeGreaterThanOrEqual(minuteEnd);
      expect(job.available_at).toBeLessThan(minuteEnd + 60_000);
      expect(job.created_at % 60_000).toBe(0);
      seen.add(job.available_at);
    }
    expect(seen.size).toBeGreaterThan(1);
  });
});
