import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { useWorkspace } from '../context.ts';
import { blurSteps } from '../decision.ts';
import { useI18n } from '../i18n/index.ts';
import { fetchSafeView, sendHeartbeat, sendOnLeave } from '../item-api.ts';

/** As src/review/view-time.ts expects them: one heartbeat per interval while the view shows. */
const heartbeatIntervalMs = 20_000;

type Shown = { url: string; viewId: string | null; warning: boolean };
type ViewState =
  | { kind: 'closed' }
  | { kind: 'loading' }
  | ({ kind: 'shown' } & Shown)
  | { kind: 'refused'; id: string };

/** The refusals the screen explains in its own words; anything else gets the generic message. */
const refusals = ['exposure_exhausted', 'content_changed', 'gone', 'known_item'] as const;
type Refusal = (typeof refusals)[number];
const refusalOf = (error: unknown): Refusal | 'other' =>
  (error instanceof ApiError && refusals.find((r) => r === error.id)) || 'other';

/**
 * The server-side blurred, greyscale view. Nothing is shown until asked for; each step lower is a
 * new request (and a new audited view). The picture is fetched, so every refusal is read, and shown
 * from an object URL that is revoked as soon as the view is hidden. While a counted view is on
 * screen and the tab visible, a heartbeat tells the server, which measures the viewing time.
 */
export function SafeView({
  itemId,
  n,
  shortcut,
  known,
  onGone,
}: {
  itemId: number;
  n: number;
  shortcut: boolean;
  /** The item is in the `known` queue: confirmed without a view; supervisors may still ask, explicitly. */
  known: boolean;
  /** Records the `gone` outcome, when the caller may decide the item. */
  onGone?: () => void;
}) {
  const { t } = useI18n();
  const { api, user } = useWorkspace();
  const [step, setStep] = useState<number | undefined>();
  const [acknowledged, setAcknowledged] = useState(false);
  const [view, setView] = useState<ViewState>({ kind: 'closed' });
  const blur = step === undefined ? undefined : (blurSteps[step] ?? 0);

  useEffect(() => {
    if (blur === undefined) {
      setView({ kind: 'closed' });
      return;
    }
    let current = true;
    let shown: Shown | undefined;
    setView({ kind: 'loading' });
    fetchSafeView(api, { itemId, n, blur, acknowledgeKnown: acknowledged }).then(
      (answer) => {
        if (!current) return;
        shown = { url: URL.createObjectURL(answer.picture), viewId: answer.viewId, warning: answer.warning };
        setView({ kind: 'shown', ...shown });
      },
      (error: unknown) => current && setView({ kind: 'refused', id: refusalOf(error) }),
    );
    return () => {
      current = false;
      if (shown) URL.revokeObjectURL(shown.url);
      if (shown?.viewId) sendHeartbeat(api, shown.viewId, true).catch(() => undefined);
    };
  }, [api, itemId, n, blur, acknowledged]);

  const viewId = view.kind === 'shown' ? view.viewId : null;
  useEffect(() => {
    if (!viewId) return;
    const beat = (hidden: boolean) =>
      sendHeartbeat(api, viewId, hidden).then(
        (answer) => setView((v) => (v.kind === 'shown' ? { ...v, warning: answer.exposure.warning } : v)),
        (error: unknown) => {
          // The day's budget ran out mid-view: the picture goes at once.
          if (refusalOf(error) !== 'exposure_exhausted') return;
          setView((v) => {
            if (v.kind === 'shown') URL.revokeObjectURL(v.url);
            return { kind: 'refused', id: 'exposure_exhausted' };
          });
        },
      );
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') beat(false);
    }, heartbeatIntervalMs);
    // A hidden tab stops the count (the time up to then is charged); visible again, it restarts.
    const onVisibility = () => beat(document.visibilityState !== 'visible');
    const onLeave = () => sendOnLeave(api, `/views/${encodeURIComponent(viewId)}/heartbeat`, { hidden: true });
    document.addEventListener('visibilitychange', onVisibility);
    addEventListener('pagehide', onLeave);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      removeEventListener('pagehide', onLeave);
    };
  }, [api, viewId]);
  if (known && !acknowledged) {
    return user.role === 'analyst' ? (
      <p class="notice">{t('item.view.knownNoView')}</p>
    ) : (
      <button
        type="button"
        onClick={() => {
          setAcknowledged(true);
          setStep(0);
        }}
      >
        {t('item.view.knownAnyway')}
      </button>
    );
  }
  if (step === undefined || blur === undefined) {
    return (
      <button type="button" onClick={() => setStep(0)} data-shortcut={shortcut ? 'b' : undefined}>
        {t('item.showView')}
      </button>
    );
  }
  const lower = step + 1 < blurSteps.length;
  return (
    <figure class="safe-view">
      {view.kind === 'loading' && <p role="status">{t('item.view.loading')}</p>}
      {view.kind === 'refused' && <Refused id={view.id} onGone={onGone} />}
      {view.kind === 'shown' && (
        <>
          {view.warning && (
            <p class="warning" role="status">
              {t('item.view.warning')}
            </p>
          )}
          <img src={view.url} alt={t('item.viewAlt', { n, blur })} />
        </>
      )}
      <figcaption>
        {t('item.blurLevel', { blur })}{' '}
        {lower && view.kind === 'shown' && (
          <button
            type="button"
            onClick={() => setStep(step + 1)}
            data-shortcut={shortcut ? 'b' : undefined}
            aria-keyshortcuts={shortcut ? 'b' : undefined}
          >
            {t('item.lowerBlur')}
          </button>
        )}{' '}
        <button type="button" onClick={() => setStep(undefined)}>
          {t('item.view.hide')}
        </button>
      </figcaption>
    </figure>
  );
}

function Refused({ id, onGone }: { id: string; onGone?: () => void }) {
  const { t } = useI18n();
  const text = {
    exposure_exhausted: t('item.view.exhausted'),
    content_changed: t('item.view.changed'),
    gone: t('item.view.gone'),
    known_item: t('item.view.knownNoView'),
  }[id as Refusal];
  return (
    <div role="alert" class="warning">
      <p>{text ?? t('item.viewProblem')}</p>
      {id === 'gone' && onGone && (
        <button type="button" onClick={onGone}>
          {t('item.view.recordGone')}
        </button>
      )}
    </div>
  );
}
