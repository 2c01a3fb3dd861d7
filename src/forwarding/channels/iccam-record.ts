import type { DestinationKind, ForwardState } from '../../db/schema/forwarding.ts';
import {
  type IccamActionType,
  iccamActionType,
  iccamAgeCategory,
  iccamClassificationOf,
  iccamContentFlags,
  iccamGender,
  iccamSiteType,
} from '../../taxonomy/iccam.ts';
import { type ContentCategory, contentCategories, type LegalStatus, legalStatuses } from '../../taxonomy/taxonomy.ts';
import type { ExportRow } from '../export/export-rows.ts';
import { noticeReference } from './notice-text.ts';

/**
 * An ICCAM-shaped JSON record of one forward: the report a hotline hands to another through ICCAM
 * (`POST rest/reports` as ../shared/reference/exchange-formats.md §4.1 describes it), one entry per
 * address (the page, then each medium) with the assessment and our actions. Our additions, which
 * ICCAM does not define, sit under `hashes`. Never a reporter, a description or imagery.
 */
export const ICCAM_RECORD_FORMAT = 'hotline-iccam-record/1';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function wordOf<T extends string>(words: readonly T[], value: string | null): T | null {
  return words.includes(value as T) ? (value as T) : null;
}

function codeOf<T extends string, C>(table: Record<T, C>, value: string | null): C | null {
  return value !== null && Object.hasOwn(table, value) ? table[value as T] : null;
}

/**
 * The actions a forward records: where it went (the police: law enforcement; a hosting provider: a
 * notice; a partner hotline takes its own) and what became of the content. Content `gone` before
 * assessment was unavailable; not illegal content is marked so. Nothing we record yet means "moved".
 */
export function iccamActionsOf(forward: {
  destinationKind: DestinationKind;
  state: ForwardState;
  outcome: LegalStatus | 'gone';
}): IccamActionType[] {
  if (forward.outcome === 'not_illegal') return [iccamActionType.not_illegal];
  if (forward.outcome === 'gone') return [iccamActionType.unavailable];
  const sentTo: IccamActionType[] =
    forward.destinationKind === 'police' || forward.destinationKind === 'interpol'
      ? [iccamActionType.law_enforcement]
      : forward.destinationKind === 'hosting_provider'
        ? [iccamActionType.provider]
        : [];
  return forward.state === 'removed' ? [...sentTo, iccamActionType.removed] : sentTo;
}

export function iccamRecord(
  forward: ExportRow,
  destination: { kind: DestinationKind; country: string | null },
  now: number,
) {
  const legalStatus = wordOf(legalStatuses, forward.legalStatus);
  const content = wordOf<ContentCategory>(contentCategories, forward.content);
  const reference = noticeReference(forward.forwardId);
  const assessment = {
    classification: iccamClassificationOf(legalStatus),
    ageCategorization: codeOf(iccamAgeCategory, forward.victimAgeGroup) ?? iccamAgeCategory.unknown,
    genderCategorization: codeOf(iccamGender, forward.victimGender) ?? iccamGender.unknown,
    ...iccamContentFlags(content),
  };
  const actions = iccamActionsOf({
    destinationKind: destination.kind,
    state: forward.state,
    outcome: forward.legalStatus === 'gone' ? 'gone' : (legalStatus ?? 'not_illegal'),
  }).map((actionType) => ({ actionType, actionDate: iso(now) }));
  return {
    format: ICCAM_RECORD_FORMAT,
    hotlineReference: reference,
    hotlineReceivedDate: iso(forward.firstReportedAt),
    assignedCountryCode: destination.country,
    sourceUrlSiteType: codeOf(iccamSiteType, forward.siteType),
    urls: [
      {
        urlString: forward.url,
        hotlineReference: reference,
        hostingCountryCode: forward.hostingCountry,
        isSourceUrl: true,
        contentType: 2,
        assessment,
        actions,
      },
      ...forward.media.map((m) => ({
        urlString: m.url,
        hotlineReference: `${reference}-${m.position}`,
        hostingCountryCode: m.hostingCountry,
        isSourceUrl: false,
        contentType: 1,
        assessment,
        actions,
        hashes: { sha256: m.sha256, sha1: m.sha1, md5: m.md5 },
      })),
    ],
  };
}
export type IccamRecord = ReturnType<typeof iccamRecord>;
