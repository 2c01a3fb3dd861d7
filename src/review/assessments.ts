import { and, eq, inArray, sql } from 'drizzle-orm';
import type { JsonValue } from '../audit/canonical-json.ts';
import type { AuditActor } from '../audit/chain.ts';
import { auditKey, userActor } from '../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../audit/record.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { Tx } from '../db/client.ts';
import { bankEntries, banks } from '../db/schema/banks.ts';
import { items } from '../db/schema/intake.ts';
import { assessments } from '../db/schema/review.ts';
import { itemSuggestions } from '../db/schema/triage.ts';
import { Conflict, Forbidden, NotFound } from '../errors.ts';
import { createForwards } from '../forwarding/forwards.ts';
import { parseLabel } from '../taxonomy/taxonomy.ts';
import type { ReviewDeps } from './claims.ts';
import { auditItemEvent, requireItemForReview, updateItemReview } from './item-review.ts';
import { bankConfirmedItem, sourceAssessmentOf } from './own-bank-entries.ts';
import { queueOf } from './queue.ts';
import type { AssessmentBody } from './schema.ts';
import { readSettings } from './settings.ts';

type AssessmentRow = typeof assessments.$inferSelect;
const isSupervisor = (user: SessionUser) => user.role === 'supervisor' || user.role === 'admin';

function auditAssessment(
  tx: Tx,
  deps: ReviewDeps,
  event: { at: number; actor: AuditActor; action: 'assessment.create' | 'assessment.confirm' | 'assessment.dispute' },
  assessment: Pick<AssessmentRow, 'id' | 'itemId' | 'outcome' | 'source'>,
  details: AssessmentAuditDetails = {},
): void {
  recordAuditEvent(tx, auditKey(deps.config), {
    ...event,
    objectType: 'assessment',
    objectId: assessment.id,
    details: { outcome: assessment.outcome, source: assessment.source, ...details },
    about: [{ type: 'item', id: assessment.itemId }],
  });
}

/** Details an assessment's audit event may carry beside its outcome and source. */
export type AssessmentAuditDetails = Record<string, JsonValue>;

/**
 * Records an analyst's assessment; the item waits in `to_confirm` for a second person. An item
 * with an assessment pending or decided takes no other; a disputed one takes a supervisor's new
 * assessment, which overrules the disputed one. The author's claim ends. 409 `item_in_triage` while
 * triage is fetching the item; 403 `known_item` for an analyst on an item of the known queue.
 */
export function createAssessment(deps: ReviewDeps, user: SessionUser, itemId: number, body: AssessmentBody) {
  const now = deps.now();
  return auditedTransaction(deps.db, (tx) => recordAssessment(tx, deps, user, { itemId, body, now }));
}

/** createAssessment's work inside the caller's transaction; `audit` adds to the event's details. */
export function recordAssessment(
  tx: Tx,
  deps: ReviewDeps,
  user: SessionUser,
  change: { itemId: number; body: AssessmentBody; now: number; audit?: AssessmentAuditDetails },
) {
  const { itemId, body, now } = change;
  const { state, review } = requireItemForReview(tx, itemId);
  // Triage holds it: its media, matches and hosting are about to be written, and a judgement made
  // without them would be banked with evidence nobody saw. An item `new` (waiting for triage, or
  // left to analysts with HOTLINE_FETCH=off) stays assessable.
  if (state === 'fetching') throw new Conflict('item_in_triage');
  // A known item is confirmed from its signals in the supervisors' known queue, never judged by an
  // analyst (who would have to look at it); a supervisor may still assess it by hand.
  if (queueOf(state, review.queue) === 'known' && !isSupervisor(user)) throw new Forbidden('known_item');
  if (review.queue === 'to_confirm') throw new Conflict('assessment_pending');
  if (review.queue === 'decided' || review.queue === 'gone') throw new Conflict('item_decided');
  if (review.queue === 'disputed' && !isSupervisor(user)) throw new Forbidden('disputed_for_supervisors');
  if (review.claimedBy !== null && review.claimedBy !== user.userId && (review.claimedUntil ?? 0) > now) {
    throw new Conflict('claimed_by_other');
  }
  tx.update(assessments)
    .set({ status: 'overruled', decidedBy: user.userId, decidedAt: now })
    .where(and(eq(assessments.itemId, itemId), eq(assessments.status, 'disputed')))
    .run();
  // The legal status is the outcome; `gone` has no other field.
  const { comment, ...fields } = body;
  const { legalStatus: outcome, ...judged } = 'outcome' in fields ? { legalStatus: fields.outcome } : fields;
  const created = tx
    .insert(assessments)
    .values({
      itemId,
      authorId: user.userId,
      source: 'analyst',
      outcome,
      ...judged,
      comment: comment ?? null,
      status: 'pending',
      createdAt: now,
    })
    .returning()
    .get();
  updateItemReview(tx, itemId, { queue: 'to_confirm', claimedBy: null, claimedUntil: null, inReviewAt: now });
  tx.update(items).set({ assessedAt: now }).where(eq(items.id, itemId)).run();
  const event = { at: now, actor: userActor(user.userId), action: 'assessment.create' as const };
  auditAssessment(tx, deps, event, created, change.audit);
  return created;
}

function requireAssessment(tx: Tx, id: number): AssessmentRow {
  const found = tx.select().from(assessments).where(eq(assessments.id, id)).get();
  if (!found) throw new NotFound('assessment_not_found');
  return found;
}

/**
 * Who may decide an assessment: never its author (four eyes); a pending one a supervisor, or any
 * analyst when the settings allow it; a disputed one only a supervisor.
 */
function checkDecider(deps: ReviewDeps, tx: Tx, user: SessionUser, assessment: AssessmentRow): void {
  if (assessment.status !== 'pending' && assessment.status !== 'disputed') throw new Conflict('assessment_decided');
  if (assessment.authorId === user.userId) throw new Forbidden('self_confirmation');
  if (assessment.status === 'disputed' && !isSupervisor(user)) throw new Forbidden('disputed_for_supervisors');
  if (!isSupervisor(user) && !readSettings(tx, deps.config).analystsMayConfirm)
    throw new Forbidden('confirm_not_allowed');
}

/** The bank label of a judgement (formatLabel's form); undefined for `gone`, which says nothing about content. */
function labelOf(assessment: Pick<AssessmentRow, 'outcome' | 'content'>): string | undefined {
  if (assessment.outcome === 'gone') return undefined;
  return assessment.content ? `${assessment.outcome}/${assessment.content}` : assessment.outcome;
}

/** Marks the item decided (the reporter may see `closed` after the delay) and banks its signals. */
function decideItem(tx: Tx, assessment: AssessmentRow, confirmedBy: number, now: number): number {
  updateItemReview(tx, assessment.itemId, {
    queue: assessment.outcome === 'gone' ? 'gone' : 'decided',
    claimedBy: null,
    claimedUntil: null,
    inReviewAt: now,
    decidedAt: now,
  });
  const label = labelOf(assessment);
  if (!label) return 0;
  return bankConfirmedItem(tx, { itemId: assessment.itemId, label, assessmentId: assessment.id, confirmedBy, now });
}

/** A second person agrees: the assessment is final and the item's signals go into the own bank. */
export function confirmAssessment(deps: ReviewDeps, user: SessionUser, id: number, comment: string | undefined) {
  const now = deps.now();
  return auditedTransaction(deps.db, (tx) => {
    const assessment = requireAssessment(tx, id);
    checkDecider(deps, tx, user, assessment);
    const decided = {
      status: 'confirmed' as const,
      decidedBy: user.userId,
      decidedAt: now,
      decisionComment: comment ?? null,
    };
    tx.update(assessments).set(decided).where(eq(assessments.id, id)).run();
    const banked = decideItem(tx, assessment, user.userId, now);
    const actor = userActor(user.userId);
    auditAssessment(tx, deps, { at: now, actor, action: 'assessment.confirm' }, assessment, { banked });
    const forwarded = createForwards(tx, deps.config, assessment, actor, now);
    return { ...assessment, ...decided, banked, forwarded };
  });
}

/** A second person disagrees: the item goes to the supervisors' `disputed` queue. */
export function disputeAssessment(deps: ReviewDeps, user: SessionUser, id: number, comment: string) {
  const now = deps.now();
  return auditedTransaction(deps.db, (tx) => {
    const assessment = requireAssessment(tx, id);
    if (assessment.status !== 'pending') throw new Conflict('assessment_decided');
    checkDecider(deps, tx, user, assessment);
    const decided = { status: 'disputed' as const, decidedBy: user.userId, decidedAt: now, decisionComment: comment };
    tx.update(assessments).set(decided).where(eq(assessments.id, id)).run();
    updateItemReview(tx, assessment.itemId, { queue: 'disputed' });
    auditAssessment(tx, deps, { at: now, actor: userActor(user.userId), action: 'assessment.dispute' }, assessment);
    return { ...assessment, ...decided };
  });
}

/** The taxonomy fields a known confirmation takes from the assessment that put the content in the bank. */
const sourceFields = {
  mediaType: assessments.mediaType,
  victimAgeGroup: assessments.victimAgeGroup,
  victimGender: assessments.victimGender,
  siteType: assessments.siteType,
  depiction: assessments.depiction,
} as const;

/** Triage's suggestion for the items, with its bank entry, whether that still matches, and its source assessment. */
function knownSuggestions(tx: Tx, itemIds: readonly number[]) {
  return tx
    .select({
      itemId: itemSuggestions.itemId,
      label: itemSuggestions.label,
      entryId: itemSuggestions.bankEntryId,
      bank: banks.name,
      sourceRef: bankEntries.sourceRef,
      enabled: sql<boolean>`${bankEntries.enabled} and ${banks.enabled}`.mapWith(Boolean),
    })
    .from(itemSuggestions)
    .innerJoin(bankEntries, eq(bankEntries.id, itemSuggestions.bankEntryId))
    .innerJoin(banks, eq(banks.id, bankEntries.bankId))
    .where(inArray(itemSuggestions.itemId, [...itemIds]))
    .all();
}

/**
 * An item whose suggestion no longer holds (its bank entry or bank disabled, a false positive):
 * back to the `new` queue for an analyst, without the suggestion, audited with the entry.
 */
function withdrawSuggestion(
  tx: Tx,
  deps: ReviewDeps,
  actor: AuditActor,
  suggestion: { itemId: number; entryId: number; bank: string },
  now: number,
): void {
  tx.delete(itemSuggestions).where(eq(itemSuggestions.itemId, suggestion.itemId)).run();
  tx.update(items).set({ state: 'ready' }).where(eq(items.id, suggestion.itemId)).run();
  auditItemEvent(tx, deps.config, {
    at: now,
    actor,
    action: 'item.requeue',
    itemId: suggestion.itemId,
    details: { reason: 'suggestion_disabled', bankEntryId: suggestion.entryId, bank: suggestion.bank },
  });
}

/**
 * Supervisors confirm triage's suggestion for `known` items in bulk, from the signals and the
 * source assessment alone: nobody views the content. Each item must still be `known` and
 * undecided, else nothing is confirmed (409 `not_known`). An item whose suggested entry or bank was
 * disabled since (a false positive) is not confirmed: it goes back to the `new` queue, and the
 * answer lists it in `requeued`. The confirmation copies the source assessment's fields (media
 * type, age group, gender, site type, depiction: what forwards and exports carry), and its audit
 * names the source: the own-bank entry, its bank and label, and the assessment that put it there.
 */
export function confirmKnownItems(deps: ReviewDeps, user: SessionUser, itemIds: readonly number[], comment?: string) {
  const now = deps.now();
  const actor = userActor(user.userId);
  return auditedTransaction(deps.db, (tx) => {
    const suggestions = new Map(knownSuggestions(tx, itemIds).map((s) => [s.itemId, s]));
    const ticked = [...new Set(itemIds)].map((itemId) => {
      const { state, review } = requireItemForReview(tx, itemId);
      const suggestion = suggestions.get(itemId);
      const label = suggestion ? parseLabel(suggestion.label) : null;
      if (state !== 'known' || review.queue !== null || !suggestion || !label?.legalStatus)
        throw new Conflict('not_known');
      return { itemId, suggestion, legalStatus: label.legalStatus, content: label.content };
    });
    const requeued: number[] = [];
    const confirmed = ticked.flatMap(({ itemId, suggestion, legalStatus, content }) => {
      if (!suggestion.enabled) {
        withdrawSuggestion(tx, deps, actor, suggestion, now);
        requeued.push(itemId);
        return [];
      }
      const sourceAssessmentId = sourceAssessmentOf(suggestion.sourceRef);
      const source =
        sourceAssessmentId === null
          ? undefined
          : tx.select(sourceFields).from(assessments).where(eq(assessments.id, sourceAssessmentId)).get();
      const assessment = tx
        .insert(assessments)
        .values({
          itemId,
          authorId: null,
          source: 'known',
          sourceBankEntryId: suggestion.entryId,
          outcome: legalStatus,
          content,
          ...source,
          comment: comment ?? null,
          status: 'confirmed',
          createdAt: now,
          decidedBy: user.userId,
          decidedAt: now,
        })
        .returning()
        .get();
      tx.update(items).set({ assessedAt: now }).where(eq(items.id, itemId)).run();
      const banked = decideItem(tx, assessment, user.userId, now);
      auditAssessment(tx, deps, { at: now, actor, action: 'assessment.confirm' }, assessment, {
        bankEntryId: suggestion.entryId,
        bank: suggestion.bank,
        label: suggestion.label,
        sourceAssessmentId,
        banked,
      });
      createForwards(tx, deps.config, assessment, actor, now);
      return [assessment];
    });
    return { assessments: confirmed, requeued };
  });
}
