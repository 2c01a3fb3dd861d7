import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ItemDetail } from '../api.ts';
import { useWorkspace } from '../context.ts';
import { assessmentBody, type DecisionDraft, missingFields, skipReasons } from '../decision.ts';
import { type TaxonomyField, taxonomyFields, taxonomyWord, taxonomyWordsOf, useI18n } from '../i18n/index.ts';
import { hrefOf } from '../router.ts';
import { ErrorMessage, useAction } from '../ui.tsx';

/**
 * The taxonomy form, pre-filled from the matches' suggestion (its source shown). "Submit & next"
 * waits for the required fields and says which; "Not illegal", "Gone" and "Skip" never wait.
 */
export function DecisionForm({
  item,
  onDecided,
  lockedBy,
  children,
}: {
  item: ItemDetail;
  onDecided: () => void;
  /** Another analyst holds the claim ("claimed by X until HH:MM"): nothing can be sent until it ends. */
  lockedBy?: string;
  /** What else works with the choices made here (the cluster section applies them to other items). */
  children?: (draft: DecisionDraft) => ComponentChildren;
}) {
  const { t, lang } = useI18n();
  const { api, next } = useWorkspace();
  const [draft, setDraft] = useState<DecisionDraft>(() => ({ ...item.suggestion?.fields }));
  const [skipReason, setSkipReason] = useState<string>(skipReasons[0]);
  const { error, busy, run } = useAction();
  const missing = missingFields(draft);
  const decide = (send: () => Promise<unknown>) =>
    run(async () => {
      await send();
      onDecided();
      await next();
    });

  const submit = (e: Event) => {
    e.preventDefault();
    if (missing.length === 0) decide(() => api.assess(item.id, assessmentBody(draft)));
  };
  const comment = draft.comment?.trim() ? { comment: draft.comment.trim() } : {};
  const missingText = missing.map((f) => t(`field.${f}`)).join(', ');
  const blocked = busy || lockedBy !== undefined;
  const suggestion = item.suggestion;

  return (
    <section aria-labelledby="decision">
      <h2 id="decision">{t('item.decision')}</h2>
      {suggestion && (
        <p class="notice">
          {suggestion.sourceAssessmentId === null ? (
            t('item.suggestedFrom', { bank: suggestion.bank, entry: suggestion.entryId })
          ) : (
            <>
              {t('item.suggestedFromAssessment', {
                bank: suggestion.bank,
                entry: suggestion.entryId,
                assessment: suggestion.sourceAssessmentId,
              })}{' '}
              {suggestion.sourceItemId !== null && (
                <a href={hrefOf({ name: 'item', id: suggestion.sourceItemId })}>
                  {t('item.title', { id: suggestion.sourceItemId })}
                </a>
              )}
            </>
          )}
        </p>
      )}
      {lockedBy && (
        <p class="reason" id="locked-reason">
          {lockedBy}
        </p>
      )}
      <ErrorMessage error={error} />
      <form onSubmit={submit} class="decision">
        {taxonomyFields.map((field: TaxonomyField) => (
          <label key={field}>
            {t(`field.${field}`)}
            <select
              value={draft[field] ?? ''}
              onInput={(e) => setDraft({ ...draft, [field]: e.currentTarget.value || undefined })}
            >
              <option value="">{t('choose')}</option>
              {taxonomyWordsOf(field).map((word) => (
                <option key={word} value={word}>
                  {taxonomyWord(lang, field, word)}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label class="wide">
          {t('item.comment')}
          <textarea
            value={draft.comment ?? ''}
            onInput={(e) => setDraft({ ...draft, comment: e.currentTarget.value })}
          />
        </label>
        <div class="buttons wide">
          <button
            type="submit"
            class="primary"
            disabled={blocked || missing.length > 0}
            aria-describedby={lockedBy ? 'locked-reason' : missing.length > 0 ? 'submit-reason' : undefined}
          >
            {t('item.submitNext')}
          </button>
          {missing.length > 0 && (
            <p id="submit-reason" class="reason">
              {t('item.missing', { fields: missingText })}
            </p>
          )}
          <button
            type="button"
            disabled={blocked}
            onClick={() => decide(() => api.assess(item.id, { legalStatus: 'not_illegal', ...comment }))}
          >
            {t('item.notIllegal')}
          </button>
          <button
            type="button"
            disabled={blocked}
            onClick={() => decide(() => api.assess(item.id, { outcome: 'gone' }))}
          >
            {t('item.gone')}
          </button>
        </div>
        <div class="buttons wide">
          <label>
            {t('item.skipReason')}
            <select value={skipReason} onInput={(e) => setSkipReason(e.currentTarget.value)}>
              {skipReasons.map((r) => (
                <option key={r} value={r}>
                  {t(`skip.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" disabled={blocked} onClick={() => decide(() => api.skip(item.id, skipReason))}>
            {t('item.skip')}
          </button>
        </div>
      </form>
      {children?.(draft)}
    </section>
  );
}
