import fc from 'fast-check';
import type request from 'supertest';
import { expect } from 'vitest';
import { catalogues, isLang, type Lang } from '../../src/http/i18n.ts';

/**
 * What every fuzz file shares: the scale, the arbitraries of hostile values, and the checks that a
 * refusal is a 4xx in the request's language, with the catalogue's own words, naming the field.
 */

/** HOTLINE_FUZZ_SCALE multiplies every property's cases (0.2 while developing, 10 on demand). */
export const fuzzScale = Number(process.env.HOTLINE_FUZZ_SCALE ?? '1') || 1;
export const runsOf = (casesAtScaleOne: number) => Math.max(1, Math.round(casesAtScaleOne * fuzzScale));
/** Generous: a case costs a few milliseconds of CPU, but a shared CI machine may be slow. */
export const fuzzTimeout = Math.max(600_000, 600_000 * fuzzScale);

export const wild = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: 'binary', maxLength: 200 }));
export const oddKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', 'lang'),
  fc.string({ maxLength: 12 }),
);
export const maybe = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined });
/** Mostly `good`, sometimes anything: cases get past validation and still meet each bad value. */
export const mostly = <T>(good: fc.Arbitrary<T>, weight = 3) =>
  fc.oneof({ weight, arbitrary: good as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: wild });

export type Json = Record<string, unknown>;
export const isPlainObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Accept-Language headers and the language each must give (absent or nothing supported: French).
 * The expectations are written out, not computed with Express's negotiation, so they test it.
 */
export const acceptLanguages: readonly (readonly [string | undefined, Lang])[] = [
  [undefined, 'fr'],
  ['fr', 'fr'],
  ['nl', 'nl'],
  ['de', 'de'],
  ['en', 'en'],
  ['nl-BE,nl;q=0.9,en;q=0.8', 'nl'],
  ['de-DE', 'de'],
  ['en-GB,en;q=0.9', 'en'],
  ['fr;q=0.1, nl;q=0.9', 'nl'],
  ['es-ES,es;q=0.9', 'fr'],
  ['*', 'fr'],
  ['', 'fr'],
];
export const acceptLanguage = fc.constantFrom(...acceptLanguages);

/**
 * The language a request's answer must be in: `?lang=`, else the body's `lang`, else what its
 * Accept-Language gave (the documented order, src/http/i18n.ts).
 */
export function expectedLang(fromHeader: Lang, query?: Json, body?: unknown): Lang {
  if (isLang(query?.lang)) return query.lang;
  if (isPlainObject(body) && isLang(body.lang)) return body.lang;
  return fromHeader;
}

/** The catalogue key of an error id: `error.<id>` (validation answers carry `error.validation`). */
const keyOfError = (id: string) => `error.${id}`;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const templatesOf = new Map<Lang, RegExp[]>(
  (Object.keys(catalogues) as Lang[]).map((lang) => [
    lang,
    Object.values(catalogues[lang]).map(
      (text) => new RegExp(`^${escapeRegex(text).replace(/\\\{\w+\\\}/g, '.+?')}$`, 's'),
    ),
  ]),
);

/** Whether `text` is one of `lang`'s catalogue messages, its placeholders filled in. */
export function isCatalogueText(lang: Lang, text: unknown): boolean {
  return typeof text === 'string' && (templatesOf.get(lang) ?? []).some((template) => template.test(text));
}

/**
 * A refused JSON request: a 4xx, a stable id whose catalogue text in `lang` is the message, and
 * for bad input each field named with a message of that catalogue. With `known`, every key of an
 * object body outside it (the routes' schemas are strict) must be among the named fields, unless
 * the body's `discriminator` is what was refused: a union cannot tell which keys it lacks then.
 */
export function expectLocalisedRefusal(
  res: request.Response,
  lang: Lang,
  sent?: { body?: unknown; known?: readonly string[]; discriminator?: string },
): void {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  // JSON a client can read, never dressed as the download the request asked for.
  expect(res.type).toBe('application/json');
  expect(res.headers['content-disposition']).toBeUndefined();
  expect(typeof res.body.error).toBe('string');
  const expected = catalogues[lang][keyOfError(res.body.error)];
  expect(expected, `no ${lang} text for ${res.body.error}`).toBeDefined();
  expect(res.body.message).toBe(expected);
  if (res.body.error === 'validation') {
    const named = Object.keys(res.body.fields ?? {});
    expect(named.length).toBeGreaterThan(0);
    for (const field of named) {
      expect(isCatalogueText(lang, res.body.fields[field]), `${field}: ${res.body.fields[field]} (${lang})`).toBe(true);
    }
    const undecided = sent?.discriminator !== undefined && named.includes(sent.discriminator);
    if (sent?.known && isPlainObject(sent.body) && !undecided) {
      for (const key of Object.keys(sent.body)) if (!sent.known.includes(key)) expect(named).toContain(key);
    }
  }
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const unescapeHtml = (text: string) =>
  Object.entries(htmlEscapes).reduce((t, [plain, escaped]) => t.replaceAll(escaped, plain), text);

/**
 * A refused form post: the page in `lang` (its `lang` attribute), an alert, and every field error
 * and every line of the error summary a message of `lang`'s catalogue.
 */
export function expectLocalisedPage(res: request.Response, lang: Lang): void {
  expect(res.text).toContain(`<html lang="${lang}">`);
  expect(res.text).toMatch(/role="alert"/);
  const errors = [...res.text.matchAll(/<p class="field-error" id="[^"]+-error">([^<]*)<\/p>/g)].map((m) => m[1]);
  const summary = /<div class="error-summary"[\s\S]*?<ul>([\s\S]*?)<\/ul>/.exec(res.text)?.[1] ?? '';
  const lines = [...summary.matchAll(/<li>(?:<a [^>]*>)?([^<]*)/g)].map((m) => m[1]);
  expect(lines.length).toBeGreaterThan(0);
  for (const text of [...errors, ...lines]) {
    expect(isCatalogueText(lang, unescapeHtml(text ?? '')), `${text} (${lang})`).toBe(true);
  }
}
