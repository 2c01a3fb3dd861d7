import { readFileSync } from 'node:fs';
import type { Request } from 'express';

export const languages = ['fr', 'nl', 'en', 'de'] as const;
export type Lang = (typeof languages)[number];
export const defaultLang: Lang = 'fr';

type Catalogue = Record<string, string>;

function loadCatalogue(lang: Lang): Catalogue {
  const url = new URL(`./messages/${lang}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Catalogue;
}

export const catalogues: Record<Lang, Catalogue> = {
  fr: loadCatalogue('fr'),
  nl: loadCatalogue('nl'),
  en: loadCatalogue('en'),
  de: loadCatalogue('de'),
};

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** `?lang=` wins, then the first supported language of Accept-Language (by q), then French. */
export function pickLanguage(queryLang: unknown, acceptLanguage: string | undefined): Lang {
  if (isLang(queryLang)) return queryLang;
  if (!acceptLanguage) return defaultLang;
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { base: tag.toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((entry) => entry.base).find(isLang) ?? defaultLang;
}

/** The text for `key` in `lang`. A missing key is a bug; it shows as the key (a test guards against it). */
export function translate(lang: Lang, key: string): string {
  return catalogues[lang][key] ?? key;
}

/** The language of a request: `?lang=`, else a `lang` field of its body, else Accept-Language, else French. */
export function requestLang(req: Request): Lang {
  const fromBody = (req.body as { lang?: unknown } | undefined)?.lang;
  return pickLanguage(isLang(req.query?.lang) ? req.query.lang : fromBody, req.get('accept-language'));
}
