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

/**
 * A message key carrying values for its text's `{name}` placeholders: `error.urls.email|line=2`.
 * It stays a plain string, so it travels wherever a key does (field errors, HTTP error bodies).
 */
export function withValues(key: string, values: Record<string, string | number>): string {
  return [key, ...Object.entries(values).map(([name, value]) => `${name}=${value}`)].join('|');
}

/**
 * The text for `key` in `lang`, its placeholders filled from the values the key carries (withValues).
 * A missing key is a bug; it shows as the key (a test guards against it).
 */
export function translate(lang: Lang, keyWithValues: string): string {
  const [key = '', ...pairs] = keyWithValues.split('|');
  const text = catalogues[lang][key];
  if (text === undefined) return keyWithValues;
  const values = new Map(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  return text.replace(/\{(\w+)\}/g, (placeholder, name: string) => values.get(name) ?? placeholder);
}

/**
 * The language of a request: `?lang=`, else a `lang` field of its body, else the best supported
 * language of Accept-Language (Express weighs it, `nl-BE` counting as `nl`), else French.
 */
export function requestLang(req: Request): Lang {
  if (isLang(req.query?.lang)) return req.query.lang;
  const fromBody = (req.body as { lang?: unknown } | undefined)?.lang;
  if (isLang(fromBody)) return fromBody;
  if (!req.get('accept-language')) return defaultLang;
  const accepted = req.acceptsLanguages(...languages);
  return isLang(accepted) ? accepted : defaultLang;
}
