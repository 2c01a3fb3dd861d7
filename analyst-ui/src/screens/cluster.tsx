import { useState } from 'preact/hooks';
import type { ItemDetail, Role } from '../api.ts';
import { assessCluster, type ClusterItem, type ClusterView, itemCluster } from '../cluster-api.ts';
import { useWorkspace } from '../context.ts';
import { assessmentBody, type DecisionDraft, missingFields } from '../decision.ts';
import { type Translate, useI18n } from '../i18n/index.ts';
import { hrefOf } from '../router.ts';
import { ErrorMessage, useAction, useLoad } from '../ui.tsx';

interface Props {
  item: ItemDetail;
  /** The decision form's choices: with them, the ticked items can take this assessment. */
  draft?: DecisionDraft;
  /** After the assessment was applied; `includesThis` when this item was among the ticked ones. */
  onApplied?: (includesThis: boolean) => void;
}

/**
 * The items whose media show the same pictures as this one's (same file or near perceptual hash),
 * with a box to tick each explicitly; the decision form's assessment then goes to every ticked
 * item at once, or to none. Nothing here shows or fetches a picture.
 */
export function ClusterSection({ item, draft, onApplied }: Props) {
  const { t } = useI18n();
  const { api, user } = useWorkspace();
  const cluster = useLoad(() => itemCluster(api, item.id), [item.id]);
  const [ticked, setTicked] = useState<ReadonlySet<number>>(new Set());
  const [done, setDone] = useState('');
  const apply = useAction();
  const members = cluster.data?.items ?? [];
  // A cluster of one is no cluster; a failed load still says so.
  if (!cluster.error && members.length < 2) return null;

  const tickable = members.filter((member) => takesAssessment(member, user.role, user.id));
  const chosen = tickable.filter((member) => ticked.has(member.id)).map((member) => member.id);
  const missing = draft ? missingFields(draft) : [];
  const blocked = chosen.length === 0 ? t('cluster.noneTicked') : missing.length > 0 ? t('cluster.incomplete') : '';
  const toggle = (id: number, on: boolean) => {
    const next = new Set(ticked);
    if (on) next.add(id);
    else next.delete(id);
    setTicked(next);
  };
  const submit = () =>
    draft &&
    !blocked &&
    apply.run(async () => {
      await assessCluster(api, chosen, assessmentBody(draft));
      setDone(t('cluster.applied', { count: chosen.length }));
      setTicked(new Set());
      cluster.reload();
      onApplied?.(chosen.includes(item.id));
    });

  return (
    <section aria-labelledby="cluster">
      <h2 id="cluster">{t('cluster.title', { count: members.length })}</h2>
      <ErrorMessage error={cluster.error} />
      {cluster.data && !cluster.data.complete && <p class="notice">{t('cluster.incompleteList')}</p>}
      {done && (
        <p role="status" class="notice">
          {done}
        </p>
      )}
      <ul class="cards">
        {members.map((member) => (
          <li key={member.id}>
            <ClusterMember
              member={member}
              current={member.id === item.id}
              view={cluster.data as ClusterView}
              tick={
                draft && tickable.includes(member)
                  ? { on: ticked.has(member.id), set: (on) => toggle(member.id, on) }
                  : undefined
              }
            />
          </li>
        ))}
      </ul>
      {draft && tickable.length > 0 && (
        <div class="buttons">
          <ErrorMessage error={apply.error} />
          <button
            type="button"
            disabled={apply.busy || blocked !== ''}
            aria-describedby={blocked ? 'cluster-reason' : undefined}
            onClick={submit}
          >
            {t('cluster.apply', { count: chosen.length })}
          </button>
          {blocked && (
            <p id="cluster-reason" class="reason">
              {blocked}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

/** Whether the server would take an assessment of this item from this user now (src/review/assessments.ts). */
function takesAssessment(member: ClusterItem, role: Role, userId: number): boolean {
  if (member.claimedBy !== null && member.claimedBy !== userId) return false;
  if (member.queue === 'disputed') return role !== 'analyst';
  return !['to_confirm', 'decided', 'gone', 'triage'].includes(member.queue);
}

interface MemberProps {
  member: ClusterItem;
  current: boolean;
  view: ClusterView;
  tick?: { on: boolean; set: (on: boolean) => void };
}

function ClusterMember({ member, current, view, tick }: MemberProps) {
  const { t } = useI18n();
  const name = t('item.title', { id: member.id });
  return (
    <>
      <p>
        {current ? (
          <strong>{t('cluster.this', { name })}</strong>
        ) : (
          <a href={hrefOf({ name: 'item', id: member.id })}>{name}</a>
        )}{' '}
        · {queueName(t, member.queue)}
        {member.claimedBy !== null && ` · ${t('cluster.claimed')}`}
      </p>
      <p class="url">{member.url}</p>
      <ul>
        {view.links
          .filter((link) => link.from === member.id || link.to === member.id)
          .map((link) => {
            const other = link.from === member.id ? link.to : link.from;
            return (
              <li key={`${link.from}-${link.to}-${link.signal}`}>
                {t(exactSignals.includes(link.signal) ? 'cluster.sameFile' : 'cluster.near', {
                  item: t('item.title', { id: other }),
                  signal: link.signal,
                  distance: link.distance,
                })}
              </li>
            );
          })}
      </ul>
      {tick && (
        <label class="tick">
          <input type="checkbox" checked={tick.on} onChange={(e) => tick.set(e.currentTarget.checked)} />{' '}
          {t('cluster.tick', { name })}
        </label>
      )}
    </>
  );
}

const exactSignals = ['sha256', 'md5'];

function queueName(t: Translate, queue: ClusterItem['queue']): string {
  if (queue === 'decided') return t('cluster.decided');
  if (queue === 'triage') return t('cluster.triage');
  return t(`queue.${queue}`);
}
