/**
 * The review's own queues, once an assessment exists (stored on the item, items.review_queue):
 * waiting for a second person, disputed (for supervisors), decided, or decided `gone`. While it is
 * null the item waits in the queue its triage state gives it (src/review/queue.ts).
 */
export const reviewQueues = ['to_confirm', 'disputed', 'decided', 'gone'] as const;
export type ReviewQueue = (typeof reviewQueues)[number];
