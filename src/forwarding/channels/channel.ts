import type { destinations } from '../../db/schema/forwarding.ts';
import type { ExportRow } from '../export/export-rows.ts';

export type DestinationRow = typeof destinations.$inferSelect;

/** One delivery of a forward: what the channel sends, to whom, and whether it is a reminder. */
export interface Delivery {
  /** The forward as exports read it: item, confirmed assessment, media and their hashes (descriptions only for the police, when configured). */
  forward: ExportRow;
  destination: DestinationRow;
  /** Whether `forward.descriptions` may be passed on (the police only, when configured). */
  descriptions: boolean;
  /** 0 for the first delivery; n for the n-th reminder of a notice. */
  reminder: number;
  /** When the forward was first delivered (null on the first delivery). */
  sentAt: number | null;
  now: number;
}

export interface Delivered {
  /** The receiver's own reference, when the channel learns one at once. */
  receiverReference?: string;
}

/**
 * A way to deliver a forward. `deliver` resolves once the receiver has it (the file renamed into
 * place, the relay accepted the mail, the transport took the record) and throws otherwise, best
 * with a DeliveryFailure. It may run more than once for the same forward (delivery is
 * at-least-once, src/forwarding/delivery/delivery-job.ts): channels write under stable names.
 */
export interface Channel {
  deliver(delivery: Delivery): Promise<Delivered>;
}

/**
 * A failed delivery with a stable reason (`smtp:ECONNREFUSED`, `destination_not_approved`): the
 * job queue and the outbox record the reason, never a message (messages can quote addresses).
 */
export class DeliveryFailure extends Error {
  override readonly name = 'DeliveryFailure';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * A DeliveryFailure from whatever a channel's I/O threw: `smtp:ESOCKET`, `fs:EACCES` (the
 * error's code, never its message); a DeliveryFailure passes through.
 */
export function deliveryFailureOf(prefix: 'smtp' | 'fs', error: unknown): DeliveryFailure {
  if (error instanceof DeliveryFailure) return error;
  const code = (error as { code?: unknown } | null)?.code;
  return new DeliveryFailure(
    typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code) ? `${prefix}:${code}` : `${prefix}:error`,
  );
}
