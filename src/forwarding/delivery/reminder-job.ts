import { eq, inArray } from 'drizzle-orm';
import type { Config, DeliveryConfig } from '../../config.ts';
import type { Db, Tx } from '../../db/client.ts';
import { destinations, forwards } from '../../db/schema/forwarding.ts';
import type { JobRecord } from '../../jobs/queue.ts';
import { enqueueJob, requeueJob } from '../../jobs/queue.ts';
import type { JobHandler, JobHooks } from '../../jobs/worker.ts';
import type { DestinationRow } from '../channels/channel.ts';
import type { Channels } from '../channels/channels.ts';
import { channelOf } from '../channels/channels.ts';
import { markReminded, stillOnline } from './delivery-state.ts';
import { loadForwardToDeliver } from './load-delivery.ts';
import { nextWorkingMoment } from './working-hours.ts';

/**
 * Reminders to a hosting provider: its notice again every HOTLINE_REMINDER_HOURS, at the first
 * working moment after that (HOTLINE_WORKING_*), while the forward is `sent` or `still_online`.
 * Each reminder schedules the next; one that finds the forward acknowledged or removed, or its
 * destination no longer approved or active, ends the chain. An acknowledgement only pauses it:
 * when a re-check after it still finds the content online, the forward becomes `still_online` and
 * the reminders go on (resumeReminders). A reminder that fails its attempts is tried again a period
 * later: the chain never breaks while the content is online. Like notices, reminders are at-least-once.
 */
export const reminderJobType = 'forwarding.remind';

interface ReminderPayload {
  forwardId: number;
  /** 1 for the first reminder. */
  reminder: number;
}

/**
 * Enqueues reminder `reminder` of a forward for the first working moment a period after `after`.
 * The re-check calls it too when content comes back (a reopened forward is reminded again).
 */
export function scheduleReminder(
  tx: Tx,
  reminders: DeliveryConfig['reminders'],
  next: { forwardId: number; reminder: number; after: number; now: number },
): boolean {
  const due = nextWorkingMoment(next.after + reminders.everyMs, reminders.workingHours);
  return enqueueReminder(tx, { forwardId: next.forwardId, reminder: next.reminder }, due, next.now);
}

/** Whether a destination gets reminders: an e-mail notice's, approved and active (the notice's own conditions). */
export function remindable(
  destination: Pick<DestinationRow, 'kind' | 'channel' | 'approved' | 'active'>,
  delivery: DeliveryConfig,
): boolean {
  return channelOf(destination, delivery) === 'email' && destination.approved && destination.active;
}

/**
 * Starts the reminders again of forwards that became `sent` or `still_online` (by hand, or content
 * found online by the re-check), for those whose destination gets reminders: the next a period
 * after the last notice or the acknowledgement, or at the next working moment when that is past.
 * A reminder of an earlier chain still waiting carries the same number, and whichever runs second
 * finds it sent and ends. In the caller's transaction.
 */
export function resumeReminders(tx: Tx, delivery: DeliveryConfig, forwardIds: readonly number[], now: number): void {
  if (forwardIds.length === 0) return;
  const found = tx
    .select({ forward: forwards, destination: destinations })
    .from(forwards)
    .innerJoin(destinations, eq(destinations.id, forwards.destinationId))
    .where(inArray(forwards.id, [...forwardIds]))
    .all()
    .filter(({ destination }) => remindable(destination, delivery));
  for (const { forward } of found) {
    const after = Math.max(forward.lastNoticeAt ?? now, forward.acknowledgedAt ?? 0, now - delivery.reminders.everyMs);
    scheduleReminder(tx, delivery.reminders, { forwardId: forward.id, reminder: forward.reminders + 1, after, now });
  }
}

function enqueueReminder(tx: Tx, payload: ReminderPayload, due: number, now: number): boolean {
  const idempotencyKey = `forwarding:remind:${payload.forwardId}:${payload.reminder}:${due}`;
  // A chain resumed with the number and time of a reminder that ran and ended (it found the forward
  // acknowledged) reuses its key: that job is put back rather than the reminder lost.
  return (
    enqueueJob(tx, { type: reminderJobType, payload, idempotencyKey, now, availableAt: due }) ||
    requeueJob(tx, idempotencyKey, now, due)
  );
}

function payloadOf(job: JobRecord): ReminderPayload {
  return job.payload as ReminderPayload;
}

type ReminderDeps = { config: Pick<Config, 'hashKey' | 'forwarding'>; now: () => number };

/** What any worker does when a reminder's attempts are spent (its own or a crashed worker's): try it a period later. */
export function reminderJobHooks(deps: ReminderDeps): JobHooks {
  return {
    onFailed(tx, job, failure) {
      const { forwardId, reminder } = payloadOf(job);
      const now = deps.now();
      if (failure.final)
        scheduleReminder(tx, deps.config.forwarding.delivery.reminders, { forwardId, reminder, after: now, now });
    },
  };
}

export function reminderJobHandler(deps: ReminderDeps & { db: Db; channels: Channels }): JobHandler {
  const { delivery } = deps.config.forwarding;
  return {
    ...reminderJobHooks(deps),
    async run(job) {
      const { forwardId, reminder } = payloadOf(job);
      const found = loadForwardToDeliver(deps.db, deps.config, forwardId);
      // Acknowledged, removed, no longer a notice, or its destination withdrawn: the chain ends here.
      if (!found || !stillOnline.includes(found.forward.state)) return () => {};
      if (!remindable(found.destination, delivery)) return () => {};
      // This reminder already went out (a chain restarted when the content came back met the old one).
      if (found.forward.reminders >= reminder) return () => {};
      const started = deps.now();
      // A worker that was down may run a reminder after hours: it waits for the next working moment.
      const workingFrom = nextWorkingMoment(started, delivery.reminders.workingHours);
      if (workingFrom !== started)
        return (tx) => void enqueueReminder(tx, { forwardId, reminder }, workingFrom, started);
      await deps.channels.email.deliver({
        forward: found.row,
        destination: found.destination,
        descriptions: false,
        reminder,
        sentAt: found.forward.sentAt,
        now: started,
      });
      return (tx) => {
        const now = deps.now();
        if (markReminded(tx, deps.config, { forwardId, now, reminder })) {
          scheduleReminder(tx, delivery.reminders, { forwardId, reminder: reminder + 1, after: now, now });
        }
      };
    },
  };
}
