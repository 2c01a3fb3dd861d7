import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { TooMany } from '../../src/errors.ts';
import { errorHandler } from '../../src/http/error-handler.ts';
import { loadSigningKey } from '../../src/key-files.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestApp, formTokenOf, type TestApp } from '../support/app.ts';
import { countRows } from '../support/db.ts';

const receiptOf = (page: string) => /<output id="receipt"[^>]*>([^<]+)<\/output>/.exec(page)?.[1];

async function freshToken(t: TestApp, lang = 'fr'): Promise<string> {
  const page = await request(t.app).get(`/?lang=${lang}`).expect(200);
  return formTokenOf(page.text);
}

function formBody(token: string, overrides: Record<string, string> = {}) {
  return {
    formToken: token,
    urls: 'https://example.com/one\nsee hxxps://example[.]org/two here',
    category: 'csam',
    siteType: 'forum',
    mediaType: 'video',
    description: '',
    contact: '',
    leave_empty: '',
    lang: 'en',
    ...overrides,
  };
}

describe('GET /', () => {
  it('serves the form in French by default, and in the language asked for', async () => {
    const t = createTestApp();
    const fr = await request(t.app).get('/').expect(200);
    expect(fr.text).toContain('<html lang="fr">');
    expect(fr.text).toContain('Signaler');
    const nl = await request(t.app).get('/').set('Accept-Language', 'nl-BE,nl;q=0.9,en;q=0.5').expect(200);
    expect(nl.text).toContain('<html lang="nl">');
    const de = await request(t.app).get('/?lang=de').set('Accept-Language', 'nl').expect(200);
    expect(de.text).toContain('<html lang="de">');
    const unknown = await request(t.app).get('/').set('Accept-Language', 'ja, es;q=0.8').expect(200);
    expect(unknown.text).toContain('<html lang="fr">');
  });

  it('offers every language, labels every field, explains what not to do and points to 116 000', async () => {
    const t = createTestApp();
    const { text } = await request(t.app).get('/?lang=en').expect(200);
    for (const lang of ['fr', 'nl', 'de']) {
      expect(text).toContain(`form="report-form" formaction="/" formnovalidate name="switchTo" value="${lang}"`);
    }
    for (const id of ['urls', 'description', 'contact']) expect(text).toContain(`<label for="${id}">`);
    expect(text).toMatch(/do not|not even to us/i);
    expect(text).toContain('116 000');
    // The address box comes before every optional question and the advice; those fold away.
    expect(text.indexOf('id="urls"')).toBeLessThan(text.indexOf('<details class="more">'));
    expect(text.indexOf('<button type="submit">')).toBeLessThan(text.indexOf('class="advice"'));
    // One small script of our own, no inline script, no upload, no inline style.
    expect(text.match(/<script[^>]*>/g)).toEqual(['<script src="/static/hotline.js" defer>']);
    expect(text).not.toMatch(/type="file"|style="/);
    expect(text).not.toMatch(/https?:\/\/(?!example)/); // no third-party resource of any kind
  });

  it('sets no cookie and forbids caching of the page that holds a form token', async () => {
    const t = createTestApp();
    const res = await request(t.app).get('/').expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('the language switch of the form', () => {
  it('is a submit button that brings back what was typed, in the other language, with no cookie', async () => {
    const t = createTestApp();
    const res = await request(t.app)
      .post('/?lang=en')
      .type('form')
      .send(
        formBody('any', {
          switchTo: 'de',
          urls: 'https://example.com/typed',
          description: 'mein Text',
          siteType: 'blog',
        }),
      )
      .expect(200);
    expect(res.text).toContain('<html lang="de">');
    expect(res.text).toContain('>https://example.com/typed</textarea>');
    expect(res.text).toContain('>mein Text</textarea>');
    expect(res.text).toContain('value="blog" checked');
    expect(res.text).toContain('<details class="more" open>');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(countRows(t.database, 'reports')).toBe(0);
    // The new page's token is a fresh one that works.
    const sent = await request(t.app)
      .post('/report')
      .type('form')
      .send(formBody(formTokenOf(res.text)));
    expect(sent.status).toBe(200);
  });
});

describe('the receipt page', () => {
  it('switches language by sending its form token back: the same receipt, in the other language, no URL', async () => {
    const t = createTestApp();
    const token = await freshToken(t, 'en');
    const first = await request(t.app).post('/report?lang=en').type('form').send(formBody(token));
    const receipt = /<output id="receipt">([^<]+)<\/output>/.exec(first.text)?.[1];
    expect(first.text).toContain(`<form id="receipt-language" method="post" action="/report" hidden>`);
    expect(first.text).toContain('class="copy" hidden');
    const nl = await request(t.app).post('/report').type('form').send({ formToken: token, switchTo: 'nl' }).expect(200);
    expect(nl.text).toContain('<html lang="nl">');
    expect(nl.text).toContain(`<output id="receipt">${receipt}</output>`);
    expect(countRows(t.database, 'reports')).toBe(1);
  });
});

describe('GET /next', () => {
  it('says what happens after a report in all four languages: analysts, time, statuses, police and 116 000', async () => {
    const t = createTestApp();
    for (const [lang, words] of [
      ['en', ['analyst', 'working day', 'Received', 'at least a day, plus a random part', '112', '116 000']],
      ['fr', ['analyste', 'jour ouvrable', 'Reçu', 'au moins un jour, plus une part aléatoire', '112', '116 000']],
      ['nl', ['analist', 'werkdag', 'Ontvangen', 'minstens een dag, plus een willekeurig deel', '112', '116 000']],
      [
        'de',
        [
          'Fachkraft',
          'Arbeitstages',
          'Eingegangen',
          'frühestens nach einem Tag, dazu ein zufälliger Teil',
          '112',
          '116 000',
        ],
      ],
    ] as const) {
      const res = await request(t.app).get(`/next?lang=${lang}`).expect(200);
      expect(res.text).toContain(`<html lang="${lang}">`);
      for (const word of words) expect(res.text, `${lang} ${word}`).toContain(word);
    }
  });
});

describe('POST /report', () => {
  it('accepts a report with one address and nothing else', async () => {
    const t = createTestApp();
    const token = await freshToken(t, 'nl');
    const res = await request(t.app)
      .post('/report')
      .type('form')
      .send({ formToken: token, urls: 'https://example.com/only', leave_empty: '' })
      .expect(200);
    expect(res.text).toContain('id="receipt"');
    expect(countRows(t.database, 'reports')).toBe(1);
  });

  it('puts the error summary first and starts the title with "Error:" in the language', async () => {
    const t = createTestApp();
    for (const [lang, prefix] of [
      ['en', 'Error:'],
      ['fr', 'Erreur :'],
      ['nl', 'Fout:'],
      ['de', 'Fehler:'],
    ]) {
      const token = await freshToken(t, lang);
      const res = await request(t.app)
        .post(`/report?lang=${lang}`)
        .type('form')
        .send(formBody(token, { urls: '', lang: lang as string }))
        .expect(400);
      expect(res.text).toMatch(new RegExp(`<title>${prefix} `));
      const main = res.text.slice(res.text.indexOf('<main id="main">'));
      expect(main.indexOf('class="error-summary"')).toBeLessThan(main.indexOf('<h1>'));
    }
    const ok = await request(t.app).get('/?lang=en');
    expect(ok.text).not.toMatch(/<title>Error/);
  });

  it('stores the report and shows the receipt once, never in a URL', async () => {
    const t = createTestApp();
    const token = await freshToken(t);
    const res = await request(t.app).post('/report?lang=en').type('form').send(formBody(token)).expect(200);
    const receipt = /<output id="receipt">([^<]+)<\/output>/.exec(res.text)?.[1];
    expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.location).toBeUndefined();
    expect(res.text).not.toContain(`?receipt=`);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(countRows(t.database, 'reports')).toBe(1);
    expect(countRows(t.database, 'items')).toBe(2); // the defanged address in a sentence was understood
    const status = await request(t.app).post('/status').type('form').send({ receipt, lang: 'en' }).expect(200);
    expect(status.text).toContain('Received: waiting for an analyst.');
  });

  it('refuses a missing, forged, replayed or expired form token and stores nothing', async () => {
    const t = createTestApp();
    await request(t.app).post('/report').type('form').send(formBody('')).expect(400);
    const token = await freshToken(t);
    await request(t.app)
      .post('/report')
      .type('form')
      .send(formBody(`${token.slice(0, -2)}xx`))
      .expect(400);
    const expired = await freshToken(t);
    t.clock.advance(3 * 3_600_000);
    const res = await request(t.app).post('/report').type('form').send(formBody(expired)).expect(400);
    expect(res.text).toContain('expired or was already sent');
    expect(res.text).toContain('https://example.com/one'); // the reporter's text is kept
    expect(countRows(t.database, 'reports')).toBe(0);

    expect(countRows(t.database, 'reports')).toBe(0);
  });

  it('sent again after the ten minutes, says the report was received and no new one is needed, in four languages', async () => {
    const t = createTestApp();
    const once = await freshToken(t);
    const first = await request(t.app).post('/report').type('form').send(formBody(once)).expect(200);
    const receipt = receiptOf(first.text) as string;
    t.clock.advance(10 * 60_000);
    for (const [lang, words] of [
      ['en', 'no need to report again'],
      ['fr', 'Inutile de signaler à nouveau'],
      ['nl', 'U hoeft niet opnieuw te melden'],
      ['de', 'Sie müssen nicht erneut melden'],
    ] as const) {
      const again = await request(t.app)
        .post(`/report?lang=${lang}`)
        .type('form')
        .send(formBody(once, { lang }))
        .expect(200);
      expect(again.text).toContain(words);
      expect(again.text).not.toContain(receipt);
      expect(again.text).not.toContain('id="receipt"');
      expect(again.text).not.toContain('name="urls"'); // no form inviting a second report
    }
    // Its language switch too (the receipt page's form, sent after the ten minutes).
    const switched = await request(t.app).post('/report').type('form').send({ formToken: once, switchTo: 'de' });
    expect(switched.text).toContain('Ihre Meldung ist bereits eingegangen');
    expect(countRows(t.database, 'reports')).toBe(1);
  });

  it('counts only first posts against the limit: reloads and language switches of the receipt spend nothing', async () => {
    const t = createTestApp({ env: { HOTLINE_REPORT_LIMIT: '2' } });
    const token = await freshToken(t, 'en');
    const first = await request(t.app).post('/report?lang=en').type('form').send(formBody(token)).expect(200);
    const receipt = receiptOf(first.text);
    for (let i = 0; i < 5; i++) {
      const reload = await request(t.app).post('/report?lang=en').type('form').send(formBody(token)).expect(200);
      expect(receiptOf(reload.text)).toBe(receipt);
      const switched = await request(t.app)
        .post('/report')
        .type('form')
        .send({ formToken: token, switchTo: i % 2 ? 'nl' : 'fr' })
        .expect(200);
      expect(receiptOf(switched.text)).toBe(receipt);
    }
    // The second report of the limit is still there, the third is refused.
    await request(t.app)
      .post('/report')
      .type('form')
      .send(formBody(await freshToken(t)))
      .expect(200);
    await request(t.app)
      .post('/report')
      .type('form')
      .send(formBody(await freshToken(t)))
      .expect(429);
    // And over the limit, a reload still shows its receipt.
    const late = await request(t.app).post('/report?lang=en').type('form').send(formBody(token)).expect(200);
    expect(receiptOf(late.text)).toBe(receipt);
    expect(countRows(t.database, 'reports')).toBe(2);
  });

  it('sent several times at once, makes one report and shows every post the same receipt', async () => {
    const t = createTestApp({ env: { HOTLINE_REPORT_LIMIT: '1000' } });
    for (let round = 0; round < 40; round++) {
      const token = await freshToken(t, 'en');
      const posts = await Promise.all(
        [0, 1, 2].map(() => request(t.app).post('/report?lang=en').type('form').send(formBody(token))),
      );
      expect(posts.map((post) => post.status)).toEqual([200, 200, 200]);
      const receipts = posts.map((post) => receiptOf(post.text));
      expect(receipts[0]).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
      expect(new Set(receipts).size).toBe(1);
      expect(countRows(t.database, 'reports')).toBe(round + 1);
    }
  });

  it("uses the token in the report's own transaction: a report that fails leaves it fresh", async () => {
    const t = createTestApp();
    const token = await freshToken(t);
    t.database.sqlite.exec(
      "create temp trigger fail_items before insert on items begin select raise(abort, 'disk full'); end",
    );
    await request(t.app).post('/report').type('form').send(formBody(token)).expect(500);
    expect(countRows(t.database, 'reports')).toBe(0);
    expect(countRows(t.database, 'used_form_tokens')).toBe(0);
    t.database.sqlite.exec('drop trigger fail_items');
    // Sent again, the same form makes its report: nothing says it was already sent.
    const again = await request(t.app).post('/report').type('form').send(formBody(token)).expect(200);
    expect(receiptOf(again.text)).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
    expect(countRows(t.database, 'reports')).toBe(1);
  });

  it('sent at once to two processes on one database, makes one report: the other shows its receipt', async () => {
    const t = createTestApp();
    const second = createApp({
      config: t.config,
      db: t.database.db,
      logger: createLogger('silent'),
      now: t.clock.now,
      signingKey: loadSigningKey(':memory:'),
    });
    for (let round = 0; round < 10; round++) {
      const token = await freshToken(t);
      const posts = await Promise.all(
        [t.app, second, t.app, second].map((app) => request(app).post('/report').type('form').send(formBody(token))),
      );
      expect(posts.map((post) => post.status)).toEqual([200, 200, 200, 200]);
      expect(new Set(posts.map((post) => receiptOf(post.text))).size).toBe(1);
      expect(countRows(t.database, 'reports')).toBe(round + 1);
    }
  });

  it('shows the same receipt when the same form is sent again (reload, back, double submit), never a second report', async () => {
    const t = createTestApp();
    const token = await freshToken(t, 'de');
    const first = await request(t.app)
      .post('/report?lang=de')
      .type('form')
      .send(formBody(token, { lang: 'de' }));
    expect(first.status).toBe(200);
    const receipt = receiptOf(first.text);
    expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
    t.clock.advance(9 * 60_000);
    for (let i = 0; i < 3; i++) {
      const again = await request(t.app)
        .post('/report?lang=de')
        .type('form')
        .send(formBody(token, { lang: 'de' }));
      expect(again.status).toBe(200);
      expect(again.headers['cache-control']).toBe('no-store');
      expect(receiptOf(again.text)).toBe(receipt);
    }
    expect(countRows(t.database, 'reports')).toBe(1);
    // Another form (another tab) never sees it.
    const other = await request(t.app)
      .post('/report')
      .type('form')
      .send(formBody(await freshToken(t)));
    expect(receiptOf(other.text)).not.toBe(receipt);
    expect(countRows(t.database, 'reports')).toBe(2);
  });

  it('over the limit, comes back with what was typed (429), and stores nothing', async () => {
    const t = createTestApp({ env: { HOTLINE_REPORT_LIMIT: '1' } });
    await request(t.app)
      .post('/report')
      .type('form')
      .send(formBody(await freshToken(t)))
      .expect(200);
    const res = await request(t.app)
      .post('/report?lang=en')
      .type('form')
      .send(formBody(await freshToken(t), { description: 'kept text' }))
      .expect(429);
    expect(res.text).toContain('Too many requests');
    expect(res.text).toContain('>kept text</textarea>');
    expect(countRows(t.database, 'reports')).toBe(1);
  });

  it('refuses a filled honeypot, and uses up its form token', async () => {
    const t = createTestApp();
    const token = await freshToken(t);
    await request(t.app)
      .post('/report')
      .type('form')
      .send(formBody(token, { leave_empty: 'http://spam' }))
      .expect(400);
    expect(countRows(t.database, 'reports')).toBe(0);
    // The token is used up like any other: sent again without the honeypot, it is refused.
    const again = await request(t.app).post('/report').type('form').send(formBody(token)).expect(400);
    expect(again.text).toContain('class="error-summary"');
    expect(countRows(t.database, 'reports')).toBe(0);
  });

  it('comes back with the values kept, a linked error summary and a message per field, in the language', async () => {
    const t = createTestApp();
    const token = await freshToken(t, 'nl');
    const res = await request(t.app)
      .post('/report?lang=nl')
      .type('form')
      .send(
        formBody(token, {
          urls: 'javascript:alert(1)',
          category: 'nonsense',
          contact: 'nope',
          lang: 'nl',
          description: 'mijn tekst',
        }),
      )
      .expect(400);
    expect(res.text).toContain('<html lang="nl">');
    expect(res.text).toContain('class="error-summary"');
    expect(res.text).toContain('href="#field-urls"');
    expect(res.text).toContain('Regel 1: alleen webadressen (http of https)');
    expect(res.text).toContain('>mijn tekst</textarea>');
    expect(res.text).toContain('javascript:alert(1)</textarea>');
    expect(res.text).toContain('aria-invalid="true"');
    expect(countRows(t.database, 'reports')).toBe(0);
    const token2 = formTokenOf(res.text);
    const fixed = await request(t.app)
      .post('/report?lang=nl')
      .type('form')
      .send(formBody(token2, { lang: 'nl' }));
    expect(fixed.status).toBe(200);
  });

  it('escapes what the reporter typed', async () => {
    const t = createTestApp();
    const token = await freshToken(t);
    const res = await request(t.app)
      .post('/report')
      .type('form')
      .send(formBody(token, { urls: '', description: '</textarea><script>alert(1)</script>' }))
      .expect(400);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;');
  });

  it('caps the form body at 32 KB', async () => {
    const t = createTestApp();
    const token = await freshToken(t);
    await request(t.app)
      .post('/report')
      .type('form')
      .send(formBody(token, { description: 'x'.repeat(40_000) }))
      .expect(413);
    expect(countRows(t.database, 'reports')).toBe(0);
  });
});

describe('/status page', () => {
  it('keeps the typed code on the page when it matches nothing (404) and over the limit (429)', async () => {
    const t = createTestApp({ env: { HOTLINE_STATUS_LIMIT: '1' } });
    const code = 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ23';
    const notFound = await request(t.app)
      .post('/status?lang=en')
      .type('form')
      .send({ receipt: code, lang: 'en' })
      .expect(404);
    expect(notFound.text).toContain(`value="${code}"`);
    const res = await request(t.app)
      .post('/status?lang=en')
      .type('form')
      .send({ receipt: code, lang: 'en' })
      .expect(429);
    expect(res.text).toContain(`value="${code}"`);
    expect(res.text).toContain('Too many requests');
    expect(res.text).toMatch(/<title>Error: /);
    expect(res.text).toContain('class="error-summary"');
  });
  it('says when no report matches, in the reporter language, with no detail', async () => {
    const t = createTestApp();
    const res = await request(t.app)
      .post('/status?lang=de')
      .type('form')
      .send({ receipt: 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ23', lang: 'de' })
      .expect(404);
    expect(res.text).toContain('Zu diesem Code gibt es keine Meldung');
    const empty = await request(t.app)
      .post('/status?lang=de')
      .type('form')
      .send({ receipt: '', lang: 'de' })
      .expect(400);
    expect(empty.text).toContain('Geben Sie Ihren Code ein.');
  });

  it('switches language with a form button that keeps the typed receipt, checks nothing and spends no status check', async () => {
    const t = createTestApp({ env: { HOTLINE_STATUS_LIMIT: '1' } });
    const page = await request(t.app).get('/status?lang=en').expect(200);
    expect(page.text).toMatch(/<button[^>]*form="status-form"[^>]*name="switchTo" value="nl"/);
    expect(page.text).not.toContain('href="/status?lang=nl"');
    const typed = 'abcd-efgh <script>';
    const switched = await request(t.app)
      .post('/status')
      .type('form')
      .send({ receipt: typed, lang: 'en', switchTo: 'nl' })
      .expect(200);
    expect(switched.text).toContain('<html lang="nl">');
    expect(switched.text).toContain('value="abcd-efgh &lt;script&gt;"');
    expect(switched.text).not.toContain('Zu diesem Code');
    expect(switched.text).not.toContain('class="status status-');
    // The one status check the throttle allows is still there after two switches.
    await request(t.app).post('/status').type('form').send({ receipt: typed, switchTo: 'fr' }).expect(200);
    await request(t.app).post('/status').type('form').send({ receipt: 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ23' }).expect(404);
    await request(t.app).post('/status').type('form').send({ receipt: 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ23' }).expect(429);
  });
});

describe('the shared error pages', () => {
  it('start their title with "Error:" in the language: 404, 413, 429 and 500', async () => {
    const t = createTestApp();
    // No public page leaves a 429 to the shared handler any more (the form and the status page keep
    // what was typed): a route that throws one stands for any other.
    const throttled = express()
      .get('/throttled', () => {
        throw new TooMany();
      })
      .use(errorHandler(createLogger('silent')));
    const html = (req: request.Test) => req.set('Accept', 'text/html');
    for (const [lang, prefix] of [
      ['en', 'Error:'],
      ['fr', 'Erreur :'],
      ['nl', 'Fout:'],
      ['de', 'Fehler:'],
    ] as const) {
      const title = new RegExp(`<title>${prefix} `);
      const notFound = await html(request(t.app).get(`/no-such-page?lang=${lang}`)).expect(404);
      expect(notFound.text).toMatch(title);
      const tooLarge = await html(request(t.app).post(`/report?lang=${lang}`))
        .type('form')
        .send({ description: 'x'.repeat(40_000) })
        .expect(413);
      expect(tooLarge.text).toMatch(title);
      const tooMany = await html(request(throttled).get(`/throttled?lang=${lang}`)).expect(429);
      expect(tooMany.text).toMatch(title);
      t.database.sqlite.exec(
        "create temp trigger fail_items before insert on items begin select raise(abort, 'disk full'); end",
      );
      const failed = await html(request(t.app).post(`/report?lang=${lang}`))
        .type('form')
        .send(formBody(await freshToken(t, lang), { lang }))
        .expect(500);
      t.database.sqlite.exec('drop trigger fail_items');
      expect(failed.text).toMatch(title);
    }
  });
});
