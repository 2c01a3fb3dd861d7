import { asc, desc, eq, inArray } from 'drizzle-orm';
import { userIdOfActor } from '../audit/chain.ts';
import { listAuditEvents } from '../audit/queries.ts';
import type { DbOrTx } from '../db/client.ts';
import { users } from '../db/schema/auth.ts';
import { bankEntries } from '../db/schema/banks.ts';
import { reports, reportUrls } from '../db/schema/intake.ts';
import { assessments } from '../db/schema/review.ts';
import { itemMedia } from '../db/schema/triage.ts';
import { itemForwards } from '../forwarding/forwards.ts';
import { listTriagedItems } from '../triage/triaged-items.ts';
import { itemNotFound, requireItemForReview } from './item-review.ts';
import { sourceAssessmentOf } from './own-bank-entries.ts';
import { queueOf } from './queue.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Everything the item screen shows: triage's results (media with signals, matches, hosting,
 * skipped media, suggestion), the reports merged into it (never their contact address), the
 * earlier items its media duplicate, its assessments, its claim and its audit history.
 */
export function itemDetail(db: DbOrTx, itemId: number, now: number) {
  const { review } = requireItemForReview(db, itemId);
  // The triage listing pages by id: the first item after id-1 is this one.
  const [item] = listTriagedItems(db, { afterId: itemId - 1, limit: 1 });
  if (!item || item.id !== itemId) throw itemNotFound();

  const itemReports = db
    .select({
      id: reports.id,
      category: reports.category,
      siteType: reports.siteType,
      mediaType: reports.mediaType,
      description: reports.description,
      receivedAt: reports.receivedAt,
    })
    .from(reportUrls)
    .innerJoin(reports, eq(reports.id, reportUrls.reportId))
    .where(eq(reportUrls.itemId, itemId))
    .orderBy(asc(reports.id))
    .all()
    // receivedAt is stored to the minute already.
    .map((r) => ({ ...r, receivedAt: iso(r.receivedAt) }));

  const duplicateIds = item.media.flatMap((m) => (m.duplicateOf ? [m.duplicateOf.mediaId] : []));
  const duplicateItems = itemsOf(db, itemMedia, duplicateIds);

  const claimLive = review.claimedBy !== null && (review.claimedUntil ?? 0) > now;
  const sources = entrySources(db, [
    ...item.media.flatMap((m) => m.matches.map((match) => match.entryId)),
    ...(item.suggestion ? [item.suggestion.bankEntryId] : []),
  ]);
  // Who wrote and who decided each assessment, by name: analysts cannot list accounts.
  const itemAssessments = db
    .select()
    .from(assessments)
    .where(eq(assessments.itemId, itemId))
    .orderBy(desc(assessments.id))
    .all();
  const history = listAuditEvents(db, { objectType: 'item', objectId: String(itemId), limit: 100 }).events;
  // The history names its actors `user:ID`; the screen shows who that is.
  const people = [
    ...itemAssessments.flatMap((a) => [a.authorId, a.decidedBy]),
    claimLive ? review.claimedBy : null,
    ...history.map((event) => userIdOfActor(event.actor)),
  ].filter((id) => id !== null);
  const names = new Map(
    (people.length
      ? db.select({ id: users.id, username: users.username }).from(users).where(inArray(users.id, people)).all()
      : []
    ).map((u) => [u.id, u.username]),
  );
  const nameOf = (id: number | null) => (id === null ? null : (names.get(id) ?? null));
  return {
    ...item,
    firstReportedAt: iso(item.firstReportedAt),
    fetchedAt: iso(item.fetchedAt),
    suggestion: item.suggestion ? { ...item.suggestion, ...sourceOf(sources, item.suggestion.bankEntryId) } : null,
    reports: itemReports,
    reportCount: itemReports.length,
    media: item.media.map((medium, n) => ({
      n,
      ...medium,
      matches: medium.matches.map((match) => ({ ...match, ...sourceOf(sources, match.entryId) })),
      duplicateOf: medium.duplicateOf
        ? { ...medium.duplicateOf, itemId: duplicateItems.get(medium.duplicateOf.mediaId) ?? null }
        : null,
    })),
    duplicates: [...new Set(duplicateItems.values())].filter((id) => id !== itemId),
    review: {
      // The queue the item is in, as the home screen counts it (`triage` while triage runs).
      queue: queueOf(item.state, review.queue),
      claim: claimLive
        ? { userId: review.claimedBy, username: nameOf(review.claimedBy), until: iso(review.claimedUntil) }
        : null,
    },
    assessments: itemAssessments.map((a) => ({
      ...a,
      authorName: nameOf(a.authorId),
      decidedByName: nameOf(a.decidedBy),
      createdAt: iso(a.createdAt),
      decidedAt: iso(a.decidedAt),
    })),
    forwards: itemForwards(db, itemId),
    history: history.map((event) => ({ ...event, actorName: nameOf(userIdOfActor(event.actor)) })),
  };
}

/** The item each row (a medium or an assessment) belongs to, by the row's id; no query for no ids. */
function itemsOf(db: DbOrTx, table: typeof itemMedia | typeof assessments, ids: number[]): Map<number, number> {
  if (ids.length === 0) return new Map();
  const rows = db.select({ id: table.id, itemId: table.itemId }).from(table).where(inArray(table.id, ids)).all();
  return new Map(rows.map((r) => [r.id, r.itemId]));
}

type EntrySource = { sourceRef: string | null; sourceAssessmentId: number | null; sourceItemId: number | null };

/**
 * Where each bank entry comes from: its `sourceRef` (an import's reference, or the assessment of
 * ours that banked it), and for our own assessments their id and the item they judged.
 */
function entrySources(db: DbOrTx, entryIds: number[]): Map<number, EntrySource> {
  if (entryIds.length === 0) return new Map();
  const refs = db
    .select({ id: bankEntries.id, sourceRef: bankEntries.sourceRef })
    .from(bankEntries)
    .where(inArray(bankEntries.id, [...new Set(entryIds)]))
    .all()
    .map((e) => ({ ...e, sourceAssessmentId: sourceAssessmentOf(e.sourceRef) }));
  const assessmentIds = refs.flatMap((e) => (e.sourceAssessmentId === null ? [] : [e.sourceAssessmentId]));
  const judged = itemsOf(db, assessments, assessmentIds);
  return new Map(
    refs.map(({ id, ...e }) => [
      id,
      { ...e, sourceItemId: e.sourceAssessmentId === null ? null : (judged.get(e.sourceAssessmentId) ?? null) },
    ]),
  );
}

const sourceOf = (sources: Map<number, EntrySource>, entryId: number): EntrySource =>
  sources.get(entryId) ?? { sourceRef: null, sourceAssessmentId: null, sourceItemId: null };
