import { useState } from 'preact/hooks';
import type { AssessmentView, ItemDetail } from '../api.ts';
import { useWorkspace } from '../context.ts';
import { useI18n } from '../i18n/index.ts';
import { ErrorMessage, useAction } from '../ui.tsx';
import { labelText } from './evidence.tsx';

/** Earlier assessments of the item; a pending one by someone else can be confirmed or disputed here. */
export function Assessments({ item, onDone }: { item: ItemDetail; onDone: () => void }) {
  const { t } = useI18n();
  if (item.assessments.length === 0) return null;
  return (
    <section aria-labelledby="assessments">
      <h2 id="assessments">{t('item.assessments')}</h2>
      <ul class="cards">
        {item.assessments.map((a) => (
          <li key={a.id}>
            <AssessmentCard assessment={a} onDone={onDone} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function AssessmentCard({ assessment, onDone }: { assessment: AssessmentView; onDone: () => void }) {
  const { t, lang, formatTime } = useI18n();
  const { api, user } = useWorkspace();
  const [comment, setComment] = useState('');
  const { error, busy, run } = useAction();
  const fields = assessment.fields;
  const summary =
    fields.outcome === 'gone'
      ? t('item.gone')
      : labelText(lang, { legalStatus: fields.legalStatus ?? null, content: fields.content ?? null });
  // Four eyes: the server refuses self-confirmation; the form is not offered for one's own either.
  const canAnswer =
    assessment.authorId !== user.id &&
    (assessment.state === 'to_confirm' || (assessment.state === 'disputed' && user.role !== 'analyst'));
  const answer = (send: (id: number, comment: string) => Promise<void>) =>
    run(async () => {
      await send(assessment.id, comment);
      setComment('');
      onDone();
    });
  const commentId = `comment-${assessment.id}`;
  return (
    <>
      <p>
        {t('item.assessmentBy', {
          state: t(`assessment.${assessment.state}`),
          by: assessment.by,
          at: formatTime(assessment.at),
        })}
        : {summary}
      </p>
      {fields.comment && <blockquote>{fields.comment}</blockquote>}
      {canAnswer && (
        <form class="stack" onSubmit={(e) => e.preventDefault()}>
          <ErrorMessage error={error} />
          <label for={commentId}>{t('item.confirmComment')}</label>
          <textarea id={commentId} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
          <div class="buttons">
            <button type="button" disabled={busy} onClick={() => answer((id, c) => api.confirm(id, c))}>
              {t('item.confirm')}
            </button>
            <button type="button" disabled={busy} onClick={() => answer((id, c) => api.dispute(id, c))}>
              {t('item.dispute')}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
