import { describe, expect, it } from 'vitest';
import { iccamActionsOf, iccamRecord } from '../../../src/forwarding/channels/iccam-record.ts';
import type { ExportRow } from '../../../src/forwarding/export/export-rows.ts';
import {
  iccamAgeCategory,
  iccamClassificationOf,
  iccamContentFlags,
  iccamGender,
  iccamSiteType,
} from '../../../src/taxonomy/iccam.ts';
import { contentCategories, victimAgeGroups, victimGenders } from '../../../src/taxonomy/taxonomy.ts';
import { siteTypes } from '../../../src/taxonomy/vocabulary.ts';

describe('ICCAM codes of our words', () => {
  it.each([
    ['baseline', 1],
    ['national', 2],
    [null, 3],
    ['not_illegal', 4],
  ] as const)('classification of %s is %i', (legalStatus, code) => {
    expect(iccamClassificationOf(legalStatus)).toBe(code);
  });

  it('ages, genders and site types: every word has its code, and the codes are ICCAM’s', () => {
    expect(Object.keys(iccamAgeCategory).sort()).toEqual([...victimAgeGroups].sort());
    expect(victimAgeGroups.map((w) => iccamAgeCategory[w])).toEqual([2, 3, 4, 1]);
    expect(victimGenders.map((w) => iccamGender[w])).toEqual([2, 3, 4, 1]);
    expect(siteTypes.map((w) => iccamSiteType[w])).toEqual([2, 20, 3, 6, null, null, null, 22, null, null]);
  });

  it('content categories set exactly one of the three flags, or none', () => {
    const flags = contentCategories.map((c) => Object.values(iccamContentFlags(c)).filter(Boolean).length);
    expect(flags).toEqual([0, 1, 1, 1, 0, 0]);
    expect(iccamContentFlags('computer_generated').virtualContentCategorization).toBe(true);
    expect(iccamContentFlags('self_generated').userGeneratedContentCategorization).toBe(true);
    expect(iccamContentFlags('erotica_posing').childModelingCategorization).toBe(true);
  });

  it.each([
    ['police', 'sent', 'national', [1]],
    ['interpol', 'sent', 'baseline', [1]],
    ['hosting_provider', 'sent', 'baseline', [2]],
    ['hosting_provider', 'removed', 'baseline', [2, 3]],
    ['partner_hotline', 'pending', 'baseline', []],
    ['partner_hotline', 'removed', 'national', [3]],
    ['police', 'sent', 'gone', [4]],
    ['police', 'sent', 'not_illegal', [7]],
  ] as const)('a forward to %s, %s, %s: actions %j', (destinationKind, state, outcome, actions) => {
    expect(iccamActionsOf({ destinationKind, state, outcome })).toEqual(actions);
  });
});

const row: ExportRow = {
  forwardId: 42,
  destination: 'partner:NL',
  state: 'pending',
  reasons: '[]',
  forwardedAt: Date.UTC(2026, 11, 1, 10),
  receiverReference: null,
  itemId: 7,
  url: 'https://site.example.test/page',
  host: 'site.example.test',
  firstReportedAt: Date.UTC(2026, 10, 30, 9),
  hostingCountry: 'NL',
  hostingAsn: 64500,
  legalStatus: 'baseline',
  content: 'self_generated',
  mediaType: 'image',
  victimAgeGroup: 'pubescent',
  victimGender: 'both',
  siteType: 'forum',
  depiction: 'sexual_act',
  confirmedAt: Date.UTC(2026, 11, 1, 9),
  media: [
    {
      position: 0,
      url: 'https://cdn.example.test/a.jpg',
      mediaType: 'image/jpeg',
      size: 100,
      sha256: 'a'.repeat(64),
      sha1: 'b'.repeat(40),
      md5: 'c'.repeat(32),
      pdq: 'd'.repeat(64),
      blockhash: 'e'.repeat(64),
      hostingCountry: 'DE',
      hostingAsn: 64501,
    },
  ],
  descriptions: ['what the reporter wrote'],
};

describe('the ICCAM record of a forward', () => {
  it('has the page and each medium, the assessment in ICCAM codes, and no reporter', () => {
    const record = iccamRecord(row, { kind: 'partner_hotline', country: 'NL' }, Date.UTC(2026, 11, 2));
    expect(record).toMatchObject({
      format: 'hotline-iccam-record/1',
      hotlineReference: 'F-42',
      hotlineReceivedDate: '2026-11-30T09:00:00.000Z',
      assignedCountryCode: 'NL',
      sourceUrlSiteType: 6,
    });
    const assessment = {
      classification: 1,
      ageCategorization: 4,
      genderCategorization: 4,
      virtualContentCategorization: false,
      userGeneratedContentCategorization: true,
      childModelingCategorization: false,
    };
    expect(record.urls).toEqual([
      {
        urlString: 'https://site.example.test/page',
        hotlineReference: 'F-42',
        hostingCountryCode: 'NL',
        isSourceUrl: true,
        contentType: 2,
        assessment,
        actions: [],
      },
      {
        urlString: 'https://cdn.example.test/a.jpg',
        hotlineReference: 'F-42-0',
        hostingCountryCode: 'DE',
        isSourceUrl: false,
        contentType: 1,
        assessment,
        actions: [],
        hashes: { sha256: 'a'.repeat(64), sha1: 'b'.repeat(40), md5: 'c'.repeat(32) },
      },
    ]);
    expect(JSON.stringify(record)).not.toContain('reporter');
  });

  it('reads unknown words as ICCAM’s "not determined", and a removed police forward as removed', () => {
    const unknown = { ...row, state: 'removed' as const, victimAgeGroup: null, victimGender: 'x', siteType: 'chat' };
    const record = iccamRecord(unknown, { kind: 'police', country: null }, Date.UTC(2026, 11, 2));
    expect(record.urls[0]?.assessment).toMatchObject({ ageCategorization: 1, genderCategorization: 1 });
    expect(record.sourceUrlSiteType).toBeNull();
    expect(record.urls[0]?.actions).toEqual([
      { actionType: 1, actionDate: '2026-12-02T00:00:00.000Z' },
      { actionType: 3, actionDate: '2026-12-02T00:00:00.000Z' },
    ]);
  });
});
