import { describe, expect, it } from 'vitest';
import { adminEn, adminFr, adminNl } from '../../analyst-ui/src/i18n/admin.ts';
import { hrefOf, parseRoute } from '../../analyst-ui/src/router.ts';

describe('the admin screens’ routes and words', () => {
  it('reads each admin screen from its hash and writes the same hash back', () => {
    for (const name of ['banks', 'settings', 'outbox', 'destinations'] as const) {
      expect(parseRoute(`#/${name}`)).toEqual({ name });
      expect(hrefOf({ name })).toBe(`#/${name}`);
    }
    expect(parseRoute('#/banks/x')).toEqual({ name: 'home' });
    expect(parseRoute('#/Outbox')).toEqual({ name: 'home' });
  });

  it('has every word in French and Dutch, with the same placeholders as in English', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const catalogue of [adminFr, adminNl]) {
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(adminEn).sort());
      for (const [key, english] of Object.entries(adminEn)) {
        expect(placeholders(catalogue[key as keyof typeof adminEn]), key).toEqual(placeholders(english));
      }
    }
  });
});
