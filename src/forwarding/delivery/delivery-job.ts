import { and, eq, inArray } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/client.ts';
import { forwards } from '../../db/schema/forwarding.ts';
import { jobs } from '../../db/schema/jobs.ts';
import type { JobRecord } from '../../jobs/queue.ts';
import { enqueueJob, requeueJob } from '../../jobs/queue.ts';
import type { JobHandler, JobHooks } from '../../jobs/worker.ts';
import { DeliveryFailure } from '../channels/channel.ts';
import { type Channels, channelOf } from '../channels/channels.ts';
import { deliveryBackoffMs } from './backoff.ts';
import { awaitingDelivery, markDeliveryFailed, markSent } from './delivery-state.ts';
import { loadForwardToDeliver } from './load-delivery.ts';
import { scheduleReminder } from './reminder-job.ts';

/**
 * Delivering a forward through the durable job queue, one job per attempt.
 *
 * Delivery is AT-LEAST-ONCE. The job sends first and then, in one transaction, marks the forward
 * `sent` and the job done. A crash (or a lost lock, or a failed commit) between the two leaves the
 * forward `pending` and its job running; the lock expires, another worker takes the job back as a
 * failed attempt (the hooks below) and the next attempt sends again. So a receiver may get a forward
 * twice, never zero times: channels write under stable names and notices carry the forward's
 * reference, so a repeat replaces or is recognisable.
 *
 * Each job has a single attempt; the retry policy is ours, not the queue's: a failed attempt (a
 * thrown error, or a job reclaimed after a crash) is recorded on the forward and the next attempt is
 * enqueued after an exponential backoff with jitter (HOTLINE_DELIVERY_RETRY_*). There is no last
 * attempt: after `failedAfter` the forward shows `failed` in the outbox and is still retried at the
 * cap, until it goes through or a supervisor moves it on.
 */
export const deliveryJobType = 'forwarding.deliver';

interface DeliveryPayload {
  forwardId: number;
  /** 1 for the first attempt; the forward's failed attempts + 1 after that. */
  attempt: number;
}

const deliveryKey = (forwardId: number, attempt: number) => `forwarding:deliver:${forwardId}:${attempt}`;

/** Enqueues attempt `attempt` of a forward's delivery, in the caller's transaction (the forward's own, when it is created). */
export function enqueueDelivery(tx: Tx, forwardId: number, attempt: number, now: number, availableAt = now): boolean {
  const payload: DeliveryPayload = { forwardId, attempt };
  return enqueueJob(tx, {
    type: deliveryJobType,
    payload,
    idempotencyKey: deliveryKey(forwardId, attempt),
    now,
    availableAt,
    maxAttempts: 1,
  });
}

function payloadOf(job: JobRecord): DeliveryPayload {
  return job.payload as DeliveryPayload;
}

type DeliveryDeps = { config: Pick<Config, 'hashKey' | 'forwarding'>; now: () => number; random?: () => number };

/**
 * What any worker does when a delivery attempt fails, whether it ran it (an error) or took it back
 * from a crashed one (`lock_expired`): record it and enqueue the next attempt.
 */
export function deliveryJobHooks(deps: DeliveryDeps): JobHooks {
  return {
    onFailed(tx, job, failure) {
      const { forwardId, attempt } = payloadOf(job);
      const now = deps.now();
      const { retry } = deps.config.forwarding.delivery;
      const nextAt = now + deliveryBackoffMs(attempt, retry, deps.random);
      const failed = { forwardId, now, attempt, reason: failure.reason, nextAt, failedAfter: retry.failedAfter };
      if (markDeliveryFailed(tx, deps.config, failed)) enqueueDelivery(tx, forwardId, attempt + 1, now, nextAt);
    },
  };
}

export function deliveryJobHandler(deps: DeliveryDeps & { db: Db; channels: Channels }): JobHandler {
  const hooks = deliveryJobHooks(deps);
  return {
    ...hooks,
    async run(job) {
      const { forwardId, attempt } = payloadOf(job);
      const found = loadForwardToDeliver(deps.db, deps.config, forwardId);
      // Gone, or moved on by a supervisor since this attempt was enqueued: nothing to deliver.
      if (!found || !awaitingDelivery.includes(found.forward.state)) return () => {};
      // An admin turned the destination off after routing: nothing goes to it, and the outbox says why.
      if (!found.destination.active) throw new DeliveryFailure('destination_inactive');
      const { delivery } = deps.config.forwarding;
      const channel = channelOf(found.destination, delivery);
      if (!channel) throw new DeliveryFailure('destination_without_channel');
      const delivered = await deps.channels[channel].deliver({
        forward: found.row,
        destination: found.destination,
        descriptions: found.descriptions,
        reminder: 0,
        sentAt: null,
        now: deps.now(),
      });
      return (tx) => {
        const now = deps.now();
        const notice = channel === 'email';
        const sent = { forwardId, now, channel, attempt, notice, ...delivered };
        if (markSent(tx, deps.config, sent) && notice) {
          scheduleReminder(tx, delivery.reminders, { forwardId, reminder: 1, after: now, now });
        }
      };
    },
  };
}

/**
 * Enqueues an attempt for every forward waiting for delivery without one pending or running: run
 * when the worker starts, so that a forward whose attempt ended without its hooks (a worker that
 * knew no delivery type took it back) is still delivered. Returns how many were enqueued.
 */
export function resumeStrandedDeliveries(tx: Tx, now: number): number {
  const active = new Set(
    tx
      .select({ payload: jobs.payload })
      .from(jobs)
      .where(and(eq(jobs.type, deliveryJobType), inArray(jobs.status, ['pending', 'running'])))
      .all()
      .map((job) => (JSON.parse(job.payload) as DeliveryPayload).forwardId),
  );
  const waiting = tx
    .select({ id: forwards.id, attempts: forwards.deliveryAttempts })
    .from(forwards)
    .where(inArray(forwards.state, awaitingDelivery))
    .all()
    .filter((forward) => !active.has(forward.id));
  for (const forward of waiting) {
    const attempt = forward.attempts + 1;
    if (!enqueueDelivery(tx, forward.id, attempt, now)) requeueJob(tx, deliveryKey(forward.id, attempt), now);
  }
  return waiting.length;
}
