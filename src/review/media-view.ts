import { and, eq } from 'drizzle-orm';
import { userActor } from '../audit/chain.ts';
import { auditedTransaction } from '../audit/record.ts';
import type { Role } from '../auth/roles.ts';
import { itemMedia } from '../db/schema/triage.ts';
import { Conflict, Forbidden, Gone, NotFound, Unsupported, UpstreamFailed } from '../errors.ts';
import { createFetcher, FetchError, fetchOptionsFromConfig } from '../fetcher/index.ts';
import { isHashedImageType } from '../signals/media-type.ts';
import type { ReviewDeps } from './claims.ts';
import { exposureToday } from './exposure.ts';
import { auditItemEvent, requireItemForReview } from './item-review.ts';
import { queueOf } from './queue.ts';
import { renderSafeView, type ViewOptions } from './safe-view.ts';
import { readSettings } from './settings.ts';
import { openCountedView } from './view-time.ts';

/** The content is no longer there: the analyst may record the `gone` outcome. */
const gone = () => new Gone();

/** Whether a failed fetch means the content is no longer there, rather than a passing failure. */
function isGone(error: FetchError): boolean {
  return error.reason === 'dns' || (error.reason === 'http_status' && [404, 410, 451].includes(error.status ?? 0));
}

/**
 * A safe view of an item's n-th medium: fetched now through the safe fetcher (the analyst's browser
 * never contacts the site), checked to be exactly what triage hashed, then blurred, greyed and
 * downscaled in memory. Refused once the analyst's daily exposure is spent. The view and the
 * first moments of exposure it costs are recorded in one transaction; a view below the blur
 * threshold gets a `viewId`, whose heartbeats charge the rest (./view-time.ts).
 *
 * A `known` item matched an assessment we confirmed: it is confirmed from its signals, without a
 * view (409 `known_item`), unless a supervisor asks for one explicitly (`acknowledgeKnown`, audited).
 */
export async function viewMedium(
  deps: ReviewDeps,
  user: { userId: number; role: Role },
  target: { itemId: number; n: number },
  options: ViewOptions,
): Promise<{ jpeg: Buffer; viewId: string | null; exposure: ReturnType<typeof exposureToday> }> {
  const { userId } = user;
  const { state, review } = requireItemForReview(deps.db, target.itemId);
  if (queueOf(state, review.queue) === 'known') {
    if (!options.acknowledgeKnown) throw new Conflict('known_item');
    if (user.role === 'analyst') throw new Forbidden('known_item');
  }
  const medium = deps.db
    .select({ url: itemMedia.url, sha256: itemMedia.sha256, mediaType: itemMedia.mediaType })
    .from(itemMedia)
    .where(and(eq(itemMedia.itemId, target.itemId), eq(itemMedia.position, target.n)))
    .get();
  if (!medium) throw new NotFound('medium_not_found');
  // Video and other media are never streamed through the workspace: refused before any fetch, by
  // the type triage sniffed from the bytes (the fetch below would find it again, after a download).
  if (!isHashedImageType(medium.mediaType)) throw new Unsupported('not_viewable');
  if (exposureToday(deps, userId).exhausted) throw new Forbidden('exposure_exhausted');

  const fetcher = createFetcher(fetchOptionsFromConfig(deps.config));
  let bytes: Buffer | null;
  try {
    const fetched = await fetcher.fetch(medium.url);
    if (fetched.exact.sha256 !== medium.sha256) throw new Conflict('content_changed');
    bytes = fetched.bytes;
  } catch (error) {
    if (error instanceof FetchError) throw isGone(error) ? gone() : new UpstreamFailed('fetch_failed');
    throw error;
  } finally {
    await fetcher.close();
  }
  // Served as something else than what triage hashed as an image (streamed, not kept).
  if (!bytes) throw new Unsupported('not_viewable');
  const jpeg = await renderSafeView(bytes, options, deps.config.signals.maxPixels).finally(() => bytes?.fill(0));

  const now = deps.now();
  const counted = options.blur < readSettings(deps.db, deps.config).exposureBlurLevel;
  const viewId = auditedTransaction(deps.db, (tx) => {
    const view = counted
      ? openCountedView(tx, { userId, itemId: target.itemId, medium: target.n, now, timeZone: deps.config.timeZone })
      : null;
    auditItemEvent(tx, deps.config, {
      at: now,
      actor: userActor(userId),
      action: 'media.view',
      itemId: target.itemId,
      details: {
        medium: target.n,
        blur: options.blur,
        grey: options.grey,
        exposureMs: view?.chargedMs ?? 0,
        ...(options.acknowledgeKnown ? { acknowledgedKnown: true } : {}),
      },
    });
    return view?.viewId ?? null;
  });
  return { jpeg, viewId, exposure: exposureToday(deps, userId) };
}
