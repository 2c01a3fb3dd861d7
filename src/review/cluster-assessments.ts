import { auditedTransaction } from '../audit/record.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { Conflict } from '../errors.ts';
import { recordAssessment } from './assessments.ts';
import type { ReviewDeps } from './claims.ts';
import { clusterCheckLimit, clusterOf } from './item-cluster.ts';
import type { AssessmentBody } from './schema.ts';

/**
 * One assessment applied to several items of one cluster, each ticked by the analyst: every item
 * takes it as if assessed on its own screen (the same rules: not pending, not decided, not claimed
 * by another, disputed ones by supervisors), or none does. The items must all belong to the
 * cluster of the first (`409 not_in_cluster`). One audit event per item, naming the cluster by its
 * ticked items.
 */
export function assessCluster(deps: ReviewDeps, user: SessionUser, itemIds: readonly number[], body: AssessmentBody) {
  const now = deps.now();
  const ticked = [...new Set(itemIds)];
  const first = ticked[0] as number;
  return auditedTransaction(deps.db, (tx) => {
    const members = new Set(clusterOf(tx, first, clusterCheckLimit).itemIds);
    if (ticked.some((id) => !members.has(id))) throw new Conflict('not_in_cluster');
    const cluster = [...ticked].sort((a, b) => a - b);
    return ticked.map((itemId) => recordAssessment(tx, deps, user, { itemId, body, now, audit: { cluster } }));
  });
}
