import { describe, expect, it } from 'vitest';
import { translator } from '../../analyst-ui/src/i18n/index.ts';
import { codeWord } from '../../analyst-ui/src/i18n/item-words.ts';
import type { FetchErrorReason } from '../../src/fetcher/errors.ts';
import type { PdqVariant } from '../../src/signals/pdq/dct.ts';
import type { SignalsRefusal } from '../../src/signals/signals-error.ts';

// The stable codes triage stores, as the item screen shows them: in the analyst's language, never raw.
// `satisfies` checks that each listed code is one of the server's; the lists name every member the
// types have today.
const fetchReasons = [
  'unsupported_scheme',
  'userinfo',
  'port',
  'blocked_address',
  'needs_proxy',
  'dns',
  'refused',
  'tls',
  'timeout',
  'http_status',
  'too_large',
  'too_many_redirects',
  'not_media',
  'network',
] as const satisfies readonly FetchErrorReason[];
const refusals = [
  'too_large',
  'too_many_pixels',
  'unsupported_media',
  'corrupt',
] as const satisfies readonly SignalsRefusal[];
/** Reasons the triage result adds of its own (src/triage/store-triage-result.ts, pipeline.ts). */
const triageReasons = ['media_limit', 'media_unreachable', 'no_media'];
const variants = [
  'original',
  'rotate90',
  'rotate180',
  'rotate270',
  'flipX',
  'flipY',
  'flipPlus1',
  'flipMinus1',
] as const satisfies readonly PdqVariant[];

describe('the item screen’s words for triage’s codes', () => {
  const en = translator('en');
  for (const lang of ['fr', 'nl'] as const) {
    const t = translator(lang);
    it(`has a ${lang} word, not the code nor the English, for every reason and variant`, () => {
      for (const code of [...fetchReasons, ...refusals, ...triageReasons]) {
        expect(codeWord(t, 'reason', code), code).not.toBe(code);
        expect(codeWord(t, 'reason', code), code).not.toBe(codeWord(en, 'reason', code));
      }
      for (const variant of variants) expect(codeWord(t, 'variant', variant), variant).not.toBe(variant);
    });
  }

  it('shows an unknown code as it is', () => {
    expect(codeWord(en, 'reason', 'something_new')).toBe('something_new');
  });
});
