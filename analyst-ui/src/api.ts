// The typed client of the JSON API at /api/v1. The server's answers (the `Server*` shapes, as
// src/review and src/auth send them) are read here into the views the screens show.

export const roles = ['analyst', 'supervisor', 'admin'] as const;
export type Role = (typeof roles)[number];

export const queueNames = ['new', 'to_confirm', 'disputed', 'known', 'unreachable', 'gone'] as const;
export type QueueName = (typeof queueNames)[number];

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
  /** The workspace language kept on the account; null until the analyst chooses one. */
  language?: 'en' | 'fr' | 'nl' | null;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
  mustChangePassword?: boolean;
  /** The server's idle limit; the app warns before it. */
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

/** Counts per queue and the caller's exposure today, in seconds. */
export interface QueueSummary {
  counts: Record<QueueName, number>;
  exposure: { seconds: number; limitSeconds: number; warning: boolean };
  /** Every active account's viewing time today, in seconds: for supervisors and admins only. */
  team?: { username: string; seconds: number }[];
}

/** A label as banks and assessments hold it. */
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
  /** The bank entry it matched. */
  entryId: number;
  /** Where the bank entry comes from: an import's reference, or the assessment of ours (and its item). */
  sourceRef: string | null;
  sourceAssessmentId: number | null;
  sourceItemId: number | null;
}

/** One forward of the item to a receiver, with the routing's reasons (src/forwarding/routing.ts). */
export interface ItemForward {
  id: number;
  state: string;
  receiverReference: string | null;
  createdAt: string;
  sentAt: string | null;
  acknowledgedAt: string | null;
  removedAt: string | null;
  destination: { kind: string; name: string };
  reasons: { code: string; what: string; country?: string; asn?: number }[];
}

export interface Medium {
  n: number;
  url: string;
  mediaType: string;
  /** Why triage did not hash it (too large, not an image, ...); null when hashed. */
  skipped: string | null;
  tlsInvalid: boolean;
  signals: { type: string; value: string }[];
  matches: Match[];
  hosting: { address: string; country: string | null; network: string | null } | null;
  duplicates: { itemId: number }[];
  /** A video's link to the hotline's isolated viewer, when one is configured. */
  viewerUrl: string | null;
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
  authorId: number | null;
  by: string;
  at: string;
  state: 'to_confirm' | 'confirmed' | 'disputed' | 'overruled';
  fields: Partial<AssessmentFields> & { outcome?: 'gone' };
}

export interface ItemDetail {
  id: number;
  url: string;
  /** The item's review queue, or `decided` once confirmed, or `triage` while triage runs. */
  state: QueueName | 'decided' | 'triage';
  reports: ReportView[];
  media: Medium[];
  /** Pre-filled decision from matches, with where it comes from. */
  suggestion: {
    fields: Partial<AssessmentFields>;
    bank: string;
    entryId: number;
    sourceAssessmentId: number | null;
    sourceItemId: number | null;
  } | null;
  /** Who holds the item's lock, and until when; null when nobody does. */
  claim: { userId: number; username: string | null; until: string } | null;
  /** The item's own audit trail, newest first (GET /items/:id gives it to every role). */
  history: AuditEventView[];
  forwards: ItemForward[];
  assessments: AssessmentView[];
  /** Earlier items whose media this item's media duplicate. */
  duplicates: number[];
  /** Why triage could not fetch the page, when it could not. */
  fetchError: string | null;
  /** Media the page shows that triage could not get, and why. */
  skipped: { url: string; reason: string }[];
}

export interface ItemSummary {
  id: number;
  url: string;
  state: QueueName;
  priority: number;
  country: string | null;
  createdAt: string;
  claim: { username: string | null; until: string } | null;
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
  /** The account behind `user:ID` (the item's history gives it); absent for `system`. */
  actorName?: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
}

// The server's answers, as far as the app reads them.

interface ServerQueue {
  queues: Record<QueueName, number>;
  exposure: { usedMs: number; limitMs: number; warning: boolean };
  team?: { username: string; usedMs: number }[];
}

interface ServerMedium {
  n: number;
  url: string;
  mediaType: string;
  sha256: string;
  sha1: string;
  md5: string;
  blockhash: string | null;
  pdq: string | null;
  refusal: string | null;
  tlsInvalid: boolean;
  hosting: { ip: string | null; country: string | null; asn: number | null; org: string | null };
  duplicateOf: { itemId: number | null } | null;
  viewerUrl: string | null;
  matches: {
    bank: string;
    label: string;
    entryId: number;
    signalType: string;
    distance: number;
    variant: string | null;
    sourceRef: string | null;
    sourceAssessmentId: number | null;
    sourceItemId: number | null;
  }[];
}

interface ServerAssessment {
  id: number;
  authorId: number | null;
  /** Null for a `known` confirmation: triage suggested it. */
  authorName: string | null;
  source: string;
  outcome: string;
  content: string | null;
  mediaType: string | null;
  victimAgeGroup: string | null;
  victimGender: string | null;
  siteType: string | null;
  depiction: string | null;
  comment: string | null;
  status: 'pending' | 'confirmed' | 'disputed' | 'overruled';
  createdAt: string;
}

interface ServerItem {
  id: number;
  url: string;
  tlsInvalid: boolean;
  stateReason: string | null;
  suggestion: {
    label: string;
    bankEntryId: number;
    sourceAssessmentId: number | null;
    sourceItemId: number | null;
  } | null;
  reports: ReportView[];
  media: ServerMedium[];
  skipped: { url: string; reason: string }[];
  duplicates: number[];
  review: { queue: string; claim: ItemDetail['claim'] };
  assessments: ServerAssessment[];
  history: AuditEventView[];
  forwards: ItemForward[];
}

interface ServerItemPage {
  items: {
    id: number;
    url: string;
    queue: QueueName;
    priority: number;
    hostingCountry: string | null;
    firstReportedAt: string;
    claim: { username: string | null; until: string } | null;
  }[];
  next: number | null;
}

/** `illegal/content` as banks write labels, into its two parts. */
export function parseLabel(text: string): Label {
  const [first = '', second] = text.split('/');
  if (second !== undefined) return { legalStatus: first, content: second };
  // A one-part label is a legal status when it names one, else a content category.
  return legalStatusWords.has(first) ? { legalStatus: first, content: null } : { legalStatus: null, content: first };
}
const legalStatusWords = new Set(['baseline', 'national', 'not_illegal']);

const signalTypes = ['sha256', 'sha1', 'md5', 'pdq', 'blockhash'] as const;

function toMedium(m: ServerMedium, item: ServerItem): Medium {
  return {
    n: m.n,
    url: m.url,
    mediaType: m.mediaType,
    skipped: m.refusal,
    tlsInvalid: m.tlsInvalid || item.tlsInvalid,
    signals: signalTypes.flatMap((type) => (m[type] ? [{ type, value: m[type] as string }] : [])),
    matches: m.matches.map((match) => ({
      bank: match.bank,
      label: parseLabel(match.label),
      signalType: match.signalType,
      distance: match.distance,
      variant: match.variant ?? 'identity',
      entryId: match.entryId,
      sourceRef: match.sourceRef,
      sourceAssessmentId: match.sourceAssessmentId,
      sourceItemId: match.sourceItemId,
    })),
    hosting: m.hosting.ip ? { address: m.hosting.ip, country: m.hosting.country, network: m.hosting.org } : null,
    duplicates: m.duplicateOf?.itemId ? [{ itemId: m.duplicateOf.itemId }] : [],
    viewerUrl: m.viewerUrl,
  };
}

const assessmentStates = {
  pending: 'to_confirm',
  confirmed: 'confirmed',
  disputed: 'disputed',
  overruled: 'overruled',
};

function toAssessment(a: ServerAssessment): AssessmentView {
  const judged = { content: a.content, mediaType: a.mediaType, victimAgeGroup: a.victimAgeGroup };
  const more = { victimGender: a.victimGender, siteType: a.siteType, depiction: a.depiction, comment: a.comment };
  const fields = Object.fromEntries(Object.entries({ ...judged, ...more }).filter(([, v]) => v !== null));
  return {
    id: a.id,
    authorId: a.authorId,
    by: a.authorName ?? 'triage',
    at: a.createdAt,
    state: assessmentStates[a.status] as AssessmentView['state'],
    fields: a.outcome === 'gone' ? { outcome: 'gone', ...fields } : { legalStatus: a.outcome, ...fields },
  };
}

function toItemDetail(item: ServerItem): ItemDetail {
  const { suggestion } = item;
  const label = suggestion ? parseLabel(suggestion.label) : null;
  const from = item.media.flatMap((m) => m.matches).find((m) => m.entryId === suggestion?.bankEntryId);
  return {
    id: item.id,
    url: item.url,
    state: item.review.queue as ItemDetail['state'],
    reports: item.reports,
    media: item.media.map((m) => toMedium(m, item)),
    suggestion:
      suggestion && label
        ? {
            fields: Object.fromEntries(Object.entries(label).filter(([, v]) => v !== null)),
            bank: from?.bank ?? '?',
            entryId: suggestion.bankEntryId,
            sourceAssessmentId: suggestion.sourceAssessmentId,
            sourceItemId: suggestion.sourceItemId,
          }
        : null,
    claim: item.review.claim,
    history: item.history,
    forwards: item.forwards,
    assessments: item.assessments.map(toAssessment),
    duplicates: item.duplicates,
    fetchError: item.stateReason,
    skipped: item.skipped,
  };
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

  /** One request to the API; the screens' own clients (e.g. cluster-api.ts) call it too. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': this.lang };
    if (method !== 'GET') headers['X-CSRF-Token'] = this.csrfToken;
    // A form (a file upload) sets its own multipart Content-Type; anything else is sent as JSON.
    const form = body instanceof FormData;
    if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
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
  /** A new temporary password (to change at next sign-in) and a new TOTP secret. */
  resetUser(id: number, password: string) {
    return this.call<Enrolment>('POST', `/users/${id}/reset`, { password });
  }
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

  async queue(): Promise<QueueSummary> {
    const { queues, exposure, team } = await this.call<ServerQueue>('GET', '/queue');
    return {
      counts: queues,
      exposure: { seconds: exposure.usedMs / 1000, limitSeconds: exposure.limitMs / 1000, warning: exposure.warning },
      ...(team ? { team: team.map((member) => ({ username: member.username, seconds: member.usedMs / 1000 })) } : {}),
    };
  }
  /** Claims the highest-priority item; undefined when nothing waits (204). */
  next() {
    return this.call<{ item: { id: number } } | undefined>('POST', '/queue/next');
  }
  async items(filters: ItemFilters, cursor?: string): Promise<ItemPage> {
    const query = new URLSearchParams();
    const { matched, ...rest } = filters;
    for (const [key, value] of Object.entries(rest)) if (value) query.set(key, value);
    if (matched) query.set('matched', String(matched === 'yes'));
    if (cursor) query.set('cursor', cursor);
    const page = await this.call<ServerItemPage>('GET', `/items?${query}`);
    return {
      items: page.items.map((i) => ({
        id: i.id,
        url: i.url,
        state: i.queue,
        priority: i.priority,
        country: i.hostingCountry,
        createdAt: i.firstReportedAt,
        claim: i.claim,
      })),
      nextCursor: page.next === null ? null : String(page.next),
    };
  }
  async item(id: number): Promise<ItemDetail> {
    return toItemDetail((await this.call<{ item: ServerItem }>('GET', `/items/${id}`)).item);
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

  // admin screens: language, banks, settings, outbox (shapes in ./admin-types.ts)
  setLanguage(language: 'en' | 'fr' | 'nl') {
    return this.call<Session>('PATCH', '/session', { language });
  }
  banks() {
    return this.call<{ banks: BankView[] }>('GET', '/banks');
  }
  switchBank(name: string, enabled: boolean) {
    return this.call<{ bank: BankView }>('PATCH', `/banks/${encodeURIComponent(name)}`, { enabled });
  }
  importBank(name: string, file: File) {
    const form = new FormData();
    form.append('file', file);
    return this.call<{ import: BankImport }>('POST', `/banks/${encodeURIComponent(name)}/imports`, form);
  }
  settings() {
    return this.call<{ settings: Settings }>('GET', '/settings');
  }
  changeSettings(change: Partial<Settings>) {
    return this.call<{ settings: Settings }>('PATCH', '/settings', change);
  }
  outbox(state: OutboxFilter | '') {
    return this.call<Outbox>('GET', `/forwards${state ? `?state=${state}` : ''}`);
  }
  recordForward(id: number, change: { state: ForwardState; receiverReference?: string }) {
    return this.call<{ forward: { id: number; state: ForwardState } }>('PATCH', `/forwards/${id}`, change);
  }
}

import type { BankImport, BankView, ForwardState, Outbox, OutboxFilter, Settings } from './admin-types.ts';

/** The signed export package of the forwards to `to` since `since` (YYYY-MM-DD): a download link. */
export const exportUrl = (to: string, since: string) => `${base}/exports?${new URLSearchParams({ to, since })}`;

/** The safe view of a medium: fetched, checked, blurred and greyed by the server; never hot-linked. */
export const safeViewUrl = (itemId: number, n: number, blur: number, acknowledgeKnown = false) =>
  `${base}/items/${itemId}/media/${n}/view?blur=${blur}&grey=1${acknowledgeKnown ? '&acknowledgeKnown=1' : ''}`;
