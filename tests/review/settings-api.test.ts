import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.ts';
import { addUser, asSession, sessionFor } from '../support/auth.ts';
import { rows } from '../support/db.ts';

describe('GET|PATCH /api/v1/settings', () => {
  it('reads the configured defaults, stores an admin’s change in the database, audits each changed value', async () => {
    const t = createTestApp({ env: { HOTLINE_EXPOSURE_LIMIT_MINUTES: '90', HOTLINE_PDQ_THRESHOLD: '28' } });
    const admin = sessionFor(t, await addUser(t, 'admin'));
    const before = await request(t.app).get('/api/v1/settings').set(asSession(admin)).expect(200);
    expect(before.body.settings).toEqual({
      exposureLimitMinutes: 90,
      statusDelayHours: 24,
      statusDelayRandomHours: 24,
      analystsMayConfirm: false,
      exposureBlurLevel: 3,
      pdqThreshold: 28,
      blockhashThreshold: 10,
    });
    const change = { exposureLimitMinutes: 60, statusDelayHours: 24, analystsMayConfirm: true, pdqThreshold: 20 };
    const after = await request(t.app).patch('/api/v1/settings').set(asSession(admin)).send(change).expect(200);
    expect(after.body.settings).toMatchObject(change);
    const events = rows(t.database, "select object_id, details from audit_events where action = 'settings.change'");
    expect(events.map((e) => [e.object_id, JSON.parse(e.details)])).toEqual([
      ['exposureLimitMinutes', { from: 90, to: 60 }],
      ['analystsMayConfirm', { from: false, to: true }],
      ['pdqThreshold', { from: 28, to: 20 }],
    ]);
    expect(rows(t.database, 'select key from review_settings order by key').map((r) => r.key)).toEqual([
      'analystsMayConfirm',
      'exposureLimitMinutes',
      'pdqThreshold',
    ]);
  });

  it('refuses bad values and unknown settings, naming each, and changes nothing', async () => {
    const t = createTestApp();
    const admin = sessionFor(t, await addUser(t, 'admin'));
    const res = await request(t.app)
      .patch('/api/v1/settings')
      .set(asSession(admin))
      .set('Accept-Language', 'en')
      .send({ exposureLimitMinutes: 0, colour: 'red', pdqThreshold: 129, blockhashThreshold: -1 })
      .expect(400);
    expect(res.body.fields).toEqual({
      colour: 'This field is not accepted.',
      exposureLimitMinutes: 'Give a whole number of minutes from 1 to 1,440.',
      pdqThreshold: 'Give a whole number of differing bits from 0 to 128.',
      blockhashThreshold: 'Give a whole number of differing bits from 0 to 128.',
    });
    // Each setting's message names its range, in the analyst's language, whatever is wrong with the value.
    const fr = await request(t.app)
      .patch('/api/v1/settings')
      .set(asSession(admin))
      .set('Accept-Language', 'fr')
      .send({ statusDelayHours: 1.5, statusDelayRandomHours: '3', exposureBlurLevel: 9 })
      .expect(400);
    expect(fr.body.fields).toEqual({
      statusDelayHours: 'Indiquez un nombre entier d’heures entre 0 et 720.',
      statusDelayRandomHours: 'Indiquez un nombre entier d’heures entre 0 et 720.',
      exposureBlurLevel: 'Indiquez un niveau de flou entre 1 et 5.',
    });
    await request(t.app).patch('/api/v1/settings').set(asSession(admin)).send({}).expect(400);
    expect(rows(t.database, 'select * from review_settings')).toEqual([]);
    const supervisor = sessionFor(t, await addUser(t, 'supervisor'));
    await request(t.app).patch('/api/v1/settings').set(asSession(supervisor)).send({ statusDelayHours: 1 }).expect(403);
  });
});
