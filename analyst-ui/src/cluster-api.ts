// The known queue and clusters in the JSON API (src/review/known-queue.ts, item-cluster.ts).
import type { Api, AssessmentFields, QueueName } from './api.ts';

export interface KnownMatch {
  bank: string;
  label: string;
  entryId: number;
  signalType: string;
  distance: number;
  /** The rotation or flip of the picture that matched (PDQ); null for the picture as it is. */
  variant: string | null;
  /** The assessment of ours the bank entry came from; null for an imported entry. */
  sourceAssessmentId: number | null;
}

export interface KnownItem {
  id: number;
  url: string;
  firstReportedAt: string;
  reportCount: number;
  hostingCountry: string | null;
  suggestion: {
    legalStatus: string | null;
    content: string | null;
    bank: string;
    bankEntryId: number;
    sourceAssessmentId: number | null;
  } | null;
  media: {
    n: number;
    mediaType: string;
    sha256: string;
    sha1: string;
    md5: string;
    pdq: string | null;
    pdqQuality: number | null;
    blockhash: string | null;
    matches: KnownMatch[];
  }[];
}

export interface ClusterItem {
  id: number;
  url: string;
  /** A queue, `decided`, or `triage` while triage runs. */
  queue: QueueName | 'decided' | 'triage';
  claimedBy: number | null;
}

export interface ClusterView {
  itemId: number;
  items: ClusterItem[];
  links: { from: number; to: number; signal: string; distance: number }[];
  /** False when the cluster is larger than the server shows. */
  complete: boolean;
}

/** One page of the `known` queue, oldest first (supervisors and admins). */
export function knownQueue(api: Api, cursor?: number) {
  return api.call<{ items: KnownItem[]; next: number | null }>(
    'GET',
    `/queue/known${cursor ? `?cursor=${cursor}` : ''}`,
  );
}

/**
 * Confirms the ticked known items' suggestions, all or none; an item whose suggested entry was
 * disabled since is not confirmed but sent back to the new queue (`requeued`).
 */
export function confirmKnown(api: Api, itemIds: number[], comment: string) {
  return api.call<{ assessments: unknown[]; requeued: number[] }>('POST', '/queue/known/confirm', {
    itemIds,
    ...(comment.trim() ? { comment: comment.trim() } : {}),
  });
}

export async function itemCluster(api: Api, itemId: number): Promise<ClusterView> {
  return (await api.call<{ cluster: ClusterView }>('GET', `/items/${itemId}/cluster`)).cluster;
}

/** One assessment for each ticked item of a cluster, all or none. */
export function assessCluster(
  api: Api,
  itemIds: number[],
  assessment: Partial<AssessmentFields> | { outcome: 'gone' },
) {
  return api.call<{ assessments: { id: number; itemId: number }[] }>('POST', '/clusters/assessments', {
    itemIds,
    assessment,
  });
}
