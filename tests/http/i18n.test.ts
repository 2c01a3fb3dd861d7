import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogues, languages, pickLanguage, translate } from '../../src/http/i18n.ts';
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

describe('pickLanguage', () => {
  it('prefers ?lang, then Accept-Language by weight, then French', () => {
    expect(pickLanguage('de', 'nl')).toBe('de');
    expect(pickLanguage('xx', 'nl-BE,nl;q=0.9')).toBe('nl');
    expect(pickLanguage(undefined, 'en;q=0.5, de;q=0.8')).toBe('de');
    expect(pickLanguage(undefined, 'es, it;q=0.9')).toBe('fr');
    expect(pickLanguage(undefined, 'de;q=0, en')).toBe('en');
    expect(pickLanguage(['nl'], undefined)).toBe('fr');
    expect(pickLanguage(undefined, undefined)).toBe('fr');
  });

  it('translates a key, and shows an unknown key as itself', () => {
    expect(translate('en', 'status.title')).toBe('Check the status of a report');
    expect(translate('nl', 'status.title')).toBe('De status van een melding nagaan');
    expect(translate('de', 'no.such.key')).toBe('no.such.key');
  });
});
