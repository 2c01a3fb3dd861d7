import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import taxonomyFile from '../../../data/taxonomy/v1.json' with { type: 'json' };
import { type Catalogue, en, type MessageKey } from './en.ts';
import { fr } from './fr.ts';
import { nl } from './nl.ts';
import { taxonomyWords } from './taxonomy-words.ts';

export const languages = { en: 'English', fr: 'Français', nl: 'Nederlands' } as const;
export type Lang = keyof typeof languages;
const catalogues: Record<Lang, Catalogue> = { en, fr, nl };

export const isLang = (value: unknown): value is Lang => typeof value === 'string' && value in languages;

/** The interface language: the analyst's last choice on this browser, else the browser's own, else English. */
export function initialLang(stored: string | null, browserLanguages: readonly string[]): Lang {
  if (isLang(stored)) return stored;
  const fromBrowser = browserLanguages.map((l) => l.slice(0, 2).toLowerCase()).find(isLang);
  return fromBrowser ?? 'en';
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const catalogue = catalogues[lang];
  return (key, values = {}) => catalogue[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** A taxonomy word's name in `lang`, e.g. `legalStatus`, `not_illegal`. */
export function taxonomyWord(lang: Lang, field: TaxonomyField, word: string): string {
  const english = (taxonomyFile[field] as Record<string, string>)[word] ?? word;
  return lang === 'en' ? english.replace(/\.$/, '') : (taxonomyWords[lang][`${field}.${word}`] ?? english);
}

export const taxonomyFields = [
  'legalStatus',
  'content',
  'mediaType',
  'victimAgeGroup',
  'victimGender',
  'siteType',
  'depiction',
] as const;
export type TaxonomyField = (typeof taxonomyFields)[number];

/** The words of a taxonomy field, in the data file's order. */
export const taxonomyWordsOf = (field: TaxonomyField): string[] => Object.keys(taxonomyFile[field]);

export interface I18n {
  lang: Lang;
  t: Translate;
  /** Dates and times in the analyst's own locale (the browser's), to the minute. */
  formatTime: (iso: string) => string;
}

export function makeI18n(lang: Lang): I18n {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return { lang, t: translator(lang), formatTime: (iso) => format.format(new Date(iso)) };
}

export const I18nContext = createContext<I18n>(makeI18n('en'));
export const useI18n = () => useContext(I18nContext);
export type { MessageKey };
