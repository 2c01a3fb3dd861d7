import { readdirSync, readFileSync } from 'node:fs';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { catalogues, languages, requestLang, translate } from '../../src/http/i18n.ts';
import {
  reportCategories,
  reportedMediaTypes,
  reportedSiteTypes,
  reportStatuses,
} from '../../src/taxonomy/vocabulary.ts';
import type { CanonicalUrlError } from '../../src/urls/canonical-url.ts';

describe('message catalogues', () => {
  it('hold the same keys in every language, none empty', () => {
    const reference = Object.keys(catalogues.en).sort();
    for (const lang of languages) {
      expect(Object.keys(catalogues[lang]).sort()).toEqual(reference);
      for (const [key, text] of Object.entries(catalogues[lang])) expect(text.trim(), `${lang} ${key}`).not.toBe('');
    }
  });

  it('hold every key the code asks for', () => {
    const used = new Set<string>();
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? walk(`${dir}/${entry.name}`) : entry.name.endsWith('.ts') ? [`${dir}/${entry.name}`] : [],
      );
    for (const file of walk('src')) {
      for (const match of readFileSync(file, 'utf8').matchAll(
        /'((?:error|form|receipt|status|nav|footer|site)\.[a-z_.A-Z]+)'/g,
      )) {
        if (match[1] && !match[1].endsWith('.')) used.add(match[1]);
      }
    }
    expect(used.size).toBeGreaterThan(20);
    for (const key of used) expect(catalogues.en, key).toHaveProperty([key]);
  });

  it('hold the keys the code builds at run time', () => {
    const built = [
      ...reportCategories.map((option) => `form.category.${option}`),
      ...reportedSiteTypes.map((option) => `form.siteType.${option}`),
      ...reportedMediaTypes.map((option) => `form.mediaType.${option}`),
      ...['category', 'siteType', 'mediaType', 'urls', 'description', 'contact'].map((field) => `form.${field}.label`),
      ...reportStatuses.map((status) => `status.${status}`),
      ...(['not_a_url', 'unsupported_scheme', 'no_host', 'too_long'] satisfies CanonicalUrlError[]).map(
        (e) => `error.urls.${e}`,
      ),
      'language.name',
    ];
    for (const lang of languages)
      for (const key of built) expect(catalogues[lang], `${lang} ${key}`).toHaveProperty([key]);
  });
});

describe('requestLang', () => {
  const app = express();
  app.post('/', express.json(), (req, res) => {
    res.send(requestLang(req));
  });
  const langOf = async (query: string, acceptLanguage?: string, body: object = {}) => {
    const req = request(app).post(`/${query}`);
    if (acceptLanguage !== undefined) req.set('Accept-Language', acceptLanguage);
    return (await req.send(body)).text;
  };

  it('prefers ?lang, then the body, then Accept-Language by weight, then French', async () => {
    expect(await langOf('?lang=de', 'nl')).toBe('de');
    expect(await langOf('?lang=xx', 'nl-BE,nl;q=0.9')).toBe('nl');
    expect(await langOf('', 'en', { lang: 'nl' })).toBe('nl');
    expect(await langOf('', 'en;q=0.5, de;q=0.8')).toBe('de');
    expect(await langOf('', 'es, it;q=0.9')).toBe('fr');
    expect(await langOf('', 'de;q=0, en')).toBe('en');
    expect(await langOf('', 'de-AT')).toBe('de');
    expect(await langOf('?lang=nl&lang=en', undefined)).toBe('fr');
    expect(await langOf('', undefined)).toBe('fr');
    expect(await langOf('', '*')).toBe('fr');
  });
});

describe('translate', () => {
  it('translates a key, and shows an unknown key as itself', () => {
    expect(translate('en', 'status.title')).toBe('Check the status of a report');
    expect(translate('nl', 'status.title')).toBe('De status van een melding nagaan');
    expect(translate('de', 'no.such.key')).toBe('no.such.key');
  });
});
