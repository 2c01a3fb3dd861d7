// The server's answers the admin screens read (src/banks/queries.ts, src/banks/import.ts,
// src/review/settings.ts, src/forwarding/forwards.ts).

export interface BankView {
  id: number;
  name: string;
  source: 'own' | 'partner';
  enabled: boolean;
  createdAt: number;
  entries: number;
  enabledEntries: number;
}

export interface BankImport {
  bank: string;
  format: string;
  rows: number;
  inserted: number;
  relabelled: number;
  duplicates: number;
  errors: { line: number; message: string }[];
}

export interface Settings {
  exposureLimitMinutes: number;
  exposureBlurLevel: number;
  statusDelayHours: number;
  statusDelayRandomHours: number;
  analystsMayConfirm: boolean;
  pdqThreshold: number;
  blockhashThreshold: number;
}

export const forwardStates = ['pending', 'sent', 'acknowledged', 'removed', 'still_online', 'failed'] as const;
export type ForwardState = (typeof forwardStates)[number];
export type OutboxFilter = ForwardState | 'overdue';

export interface ForwardView {
  id: number;
  itemId: number;
  url: string;
  state: ForwardState;
  receiverReference: string | null;
  createdAt: string;
  overdue: boolean;
  destination: { key: string; kind: string; name: string };
  /** The states a supervisor may record next. */
  nextStates: ForwardState[];
  /** Failed delivery attempts since the last success, the last one's stable reason, and when the next is due. */
  deliveryAttempts: number;
  lastDeliveryError: string | null;
  nextDeliveryAt: string | null;
}

export interface Outbox {
  counts: Record<ForwardState | 'overdue', number>;
  forwards: ForwardView[];
}
