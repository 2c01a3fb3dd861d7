// The typed client of the JSON API at /api/v1. Shapes marked "assumed" are not fixed by issue 10's
// contract; they are this app's reading of it until the review API is merged.

export const roles = ['analyst', 'supervisor', 'admin'] as const;
export type Role = (typeof roles)[number];

export const queueNames = ['new', 'to_confirm', 'disputed', 'known', 'unreachable', 'gone'] as const;
export type QueueName = (typeof queueNames)[number];

export interface SessionUser {
  username: string;
  role: Role;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
  mustChangePassword?: boolean;
  /** Assumed: the server's idle limit; absent today, so the app falls back to the default 30 minutes. */
  idleTimeoutSeconds?: number;
}

export interface UserView {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

export interface Enrolment {
  user: UserView;
  totpSecret: string;
  otpauthUri: string;
}

/** Assumed: counts per queue and the caller's exposure today, in seconds. */
export interface QueueSummary {
  counts: Record<QueueName, number>;
  exposure: { seconds: number; limitSeconds: number };
}

/** Assumed: a label as banks and assessments hold it. */
export interface Label {
  legalStatus: string | null;
  content: string | null;
}

export interface Match {
  bank: string;
  label: Label;
  signalType: string;
  distance: number;
  /** The dihedral variant the match was found under (rotation/flip), `identity` for none. */
  variant: string;
  /** Where the bank entry comes from: an import or an assessment of ours. */
  source: string;
}

export interface Medium {
  n: number;
  url: string;
  mediaType: string;
  /** Why triage did not hash it (too large, not an image, ...); null when hashed. */
  skipped: string | null;
  tlsInvalid: boolean;
  fetchError: string | null;
  signals: { type: string; value: string }[];
  matches: Match[];
  hosting: { address: string; country: string | null; network: string | null } | null;
  duplicates: { itemId: number }[];
}

export interface ReportView {
  id: number;
  receivedAt: string;
  category: string;
  siteType: string;
  description: string | null;
}

export interface AssessmentView {
  id: number;
  by: string;
  at: string;
  state: 'to_confirm' | 'confirmed' | 'disputed';
  fields: Partial<AssessmentFields> & { outcome?: 'gone' };
}

export interface ItemDetail {
  id: number;
  url: string;
  state: QueueName;
  reports: ReportView[];
  media: Medium[];
  /** Pre-filled decision from matches, with where it comes from. */
  suggestion: { fields: Partial<AssessmentFields>; source: string } | null;
  assessments: AssessmentView[];
}

export interface ItemSummary {
  id: number;
  url: string;
  state: QueueName;
  priority: number;
  country: string | null;
  matched: boolean;
  createdAt: string;
}

export interface ItemPage {
  items: ItemSummary[];
  nextCursor: string | null;
}

export interface ItemFilters {
  state?: QueueName | '';
  category?: string;
  country?: string;
  siteType?: string;
  matched?: '' | 'yes' | 'no';
  from?: string;
  to?: string;
}

/** The taxonomy's fields, named as data/taxonomy/v1.json names them. */
export interface AssessmentFields {
  legalStatus: string;
  content: string;
  mediaType: string;
  victimAgeGroup: string;
  victimGender: string;
  siteType: string;
  depiction: string;
  comment: string;
}

export interface AuditEventView {
  seq: number;
  at: string;
  actor: string;
  action: string;
  objectType: string;
  objectId: string | null;
}

/** An answer other than 2xx, with the server's stable id and its localised message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

import { type Statistics, yearQuery } from './stats-types.ts';

const base = '/api/v1';

/** One client per app: it holds the CSRF token of the session and the interface language. */
export class Api {
  csrfToken = '';
  lang = 'en';
  /** Called on each answer, to restart the idle countdown; 401 means the session ended. */
  onAnswer: (status: number) => void = () => {};

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': this.lang };
    if (method !== 'GET') headers['X-CSRF-Token'] = this.csrfToken;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
    this.onAnswer(res.status);
    if (res.status === 204) return undefined as T;
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiError(res.status, json.error ?? 'http', json.message ?? res.statusText, json.fields);
    return json as T;
  }

  signIn(username: string, password: string, totp: string) {
    return this.call<Session>('POST', '/session', { username, password, totp });
  }
  session() {
    return this.call<Session>('GET', '/session');
  }
  signOut() {
    return this.call<void>('DELETE', '/session');
  }
  changePassword(current: string, next: string) {
    return this.call<Session | undefined>('POST', '/session/password', { current, new: next });
  }

  stats(year: number) {
    return this.call<Statistics>('GET', `/stats?${yearQuery(year)}`);
  }
  users() {
    return this.call<{ users: UserView[] }>('GET', '/users');
  }
  createUser(username: string, role: Role, password: string) {
    return this.call<Enrolment>('POST', '/users', { username, role, password });
  }
  changeUser(id: number, change: { disabled?: boolean; role?: Role }) {
    return this.call<{ user: UserView }>('PATCH', `/users/${id}`, change);
  }
  /** Assumed route: the existing API resets and unlocks only from the CLI today. */
  resetUser(id: number, password: string) {
    return this.call<Enrolment>('POST', `/users/${id}/reset`, { password });
  }
  /** Assumed route, as resetUser. */
  unlockUser(id: number) {
    return this.call<{ user: UserView }>('POST', `/users/${id}/unlock`, {});
  }

  /** Every audit event that names `object` (`item:12`), newest first (supervisors and admins). */
  audit(object: string) {
    return this.call<{ events: AuditEventView[]; next: number | null }>(
      'GET',
      `/audit?object=${encodeURIComponent(object)}`,
    );
  }

  queue() {
    return this.call<QueueSummary>('GET', '/queue');
  }
  /** Claims the highest-priority item; undefined when nothing waits (204). */
  next() {
    return this.call<{ item: { id: number } } | undefined>('POST', '/queue/next');
  }
  items(filters: ItemFilters, cursor?: string) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
    if (cursor) query.set('cursor', cursor);
    return this.call<ItemPage>('GET', `/items?${query}`);
  }
  item(id: number) {
    return this.call<ItemDetail>('GET', `/items/${id}`);
  }
  release(id: number) {
    return this.call<void>('POST', `/items/${id}/release`, {});
  }
  skip(id: number, reason: string) {
    return this.call<void>('POST', `/items/${id}/skip`, { reason });
  }
  assess(id: number, body: Partial<AssessmentFields> | { outcome: 'gone' }) {
    return this.call<{ assessment: { id: number } }>('POST', `/items/${id}/assessments`, body);
  }
  confirm(assessmentId: number, comment: string) {
    return this.call<void>('POST', `/assessments/${assessmentId}/confirm`, { comment });
  }
  dispute(assessmentId: number, comment: string) {
    return this.call<void>('POST', `/assessments/${assessmentId}/dispute`, { comment });
  }
}

/** The safe view of a medium: fetched, checked, blurred and greyed by the server; never hot-linked. */
export const safeViewUrl = (itemId: number, n: number, blur: number) =>
  `${base}/items/${itemId}/media/${n}/view?blur=${blur}&grey=1`;
