import type { Express } from 'express';
import request from 'supertest';
import type { TestApp } from './app.ts';
import { asSession, type TestSession } from './auth.ts';
import { rows } from './db.ts';

/** What an illegal assessment states beside its legal status: the fields the exports and notices need. */
export const illegalFields = {
  content: 'real_abuse',
  mediaType: 'image',
  victimAgeGroup: 'prepubescent',
  victimGender: 'female',
  siteType: 'image_host',
  depiction: 'lascivious_exhibition',
};

/** Illegal under the baseline (the international standard). */
export const illegalBaseline = { legalStatus: 'baseline', ...illegalFields };

/** Illegal under Belgian law only. */
export const illegalNational = { legalStatus: 'national', ...illegalFields };

/**
 * `analyst` assesses the item (`body`, an illegal baseline case unless told) and `supervisor` confirms
 * it, each through the API and each expected to succeed; returns the confirmation's response.
 */
export async function assessAndConfirm(
  app: Express,
  itemId: number,
  analyst: TestSession,
  supervisor: TestSession,
  body: object = illegalBaseline,
) {
  const created = await request(app)
    .post(`/api/v1/items/${itemId}/assessments`)
    .set(asSession(analyst))
    .send(body)
    .expect(201);
  return request(app)
    .post(`/api/v1/assessments/${created.body.assessment.id}/confirm`)
    .set(asSession(supervisor))
    .send({})
    .expect(200);
}

/** The keys of the destinations the item is forwarded to, in order. */
export const forwardKeysOf = (t: TestApp, itemId: number): string[] =>
  rows(
    t.database,
    'select d.key from forwards f join destinations d on d.id = f.destination_id where f.item_id = ? order by d.key',
    itemId,
  ).map((r) => r.key as string);
