import { describe, expect, it } from 'vitest';
import { assessmentBody, missingFields } from '../../analyst-ui/src/decision.ts';
import {
  initialLang,
  taxonomyFields,
  taxonomyWord,
  taxonomyWordsOf,
  translator,
} from '../../analyst-ui/src/i18n/index.ts';
import { taxonomyWords } from '../../analyst-ui/src/i18n/taxonomy-words.ts';
import { parseRoute } from '../../analyst-ui/src/router.ts';

describe('the decision form rules', () => {
  it('asks for the legal status first, and for every field only when the content is illegal', () => {
    expect(missingFields({})).toEqual(['legalStatus']);
    expect(missingFields({ legalStatus: 'not_illegal' })).toEqual([]);
    expect(missingFields({ legalStatus: 'national', content: 'real_abuse', depiction: 'other' })).toEqual([
      'mediaType',
      'victimAgeGroup',
      'victimGender',
      'siteType',
    ]);
    const complete = {
      legalStatus: 'baseline',
      content: 'real_abuse',
      mediaType: 'image',
      victimAgeGroup: 'pubescent',
      victimGender: 'female',
      siteType: 'forum',
      depiction: 'sexual_act',
    };
    expect(missingFields(complete)).toEqual([]);
  });

  it('sends only the chosen fields, under the taxonomy names, with a trimmed comment', () => {
    expect(assessmentBody({ legalStatus: 'not_illegal', content: '', comment: '  legal adult model ' })).toEqual({
      legalStatus: 'not_illegal',
      comment: 'legal adult model',
    });
    expect(assessmentBody({ legalStatus: 'national', comment: '   ' })).toEqual({ legalStatus: 'national' });
  });
});

describe('languages and routes of the app', () => {
  it('keeps the analyst’s choice, else takes the browser’s first language the app has, else English', () => {
    expect(initialLang('nl', ['fr-BE'])).toBe('nl');
    expect(initialLang(null, ['de-DE', 'fr-BE', 'nl'])).toBe('fr');
    expect(initialLang('xx', ['de'])).toBe('en');
  });

  it('names every taxonomy word in French and Dutch and fills message values', () => {
    for (const lang of ['fr', 'nl'] as const) {
      for (const field of taxonomyFields) {
        for (const word of taxonomyWordsOf(field)) {
          expect(taxonomyWords[lang][`${field}.${word}`], `${lang} ${field}.${word}`).toBe(
            taxonomyWord(lang, field, word),
          );
        }
      }
    }
    expect(taxonomyWordsOf('victimGender')).toEqual(['female', 'male', 'both', 'unknown']);
    expect(taxonomyWord('en', 'legalStatus', 'not_illegal')).toBe('Not illegal');
    expect(translator('nl')('item.title', { id: 42 })).toBe('Item 42');
    expect(translator('fr')('home.exposureValue', { used: 10, limit: 120 })).toBe('10 minutes sur 120');
  });

  it('reads routes from the hash and sends anything else home', () => {
    expect(parseRoute('#/items/17')).toEqual({ name: 'item', id: 17 });
    expect(parseRoute('#/to-confirm')).toEqual({ name: 'toConfirm' });
    expect(parseRoute('#/items/017')).toEqual({ name: 'home' });
    expect(parseRoute('#main')).toEqual({ name: 'home' });
  });
});
