import { isAbsolute } from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import type { ChannelName, DestinationKind } from './db/schema/forwarding.ts';
import type { WorkingHours } from './forwarding/delivery/working-hours.ts';
import type { RoutingRules } from './forwarding/routing.ts';
import { readHashKey, readOrCreateSecretKey } from './key-files.ts';
import { viewerTemplateProblem } from './review/video-viewer.ts';
import { defaultThreshold, type PerceptualSignalTypeName } from './signals/types/index.ts';

// The only reader of process.env. Everything configurable is here, validated once at start.

const onOff = z.enum(['on', 'off']);
const positiveInt = z.coerce.number().int().positive();

/** `127.0.0.1:8080` or `[::1]:8080`: only loopback may ever be opened, and only for tests. */
function isLoopbackPair(pair: string): boolean {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\]):(\d{1,5})$/.exec(pair);
  const host = match?.[1]?.replace(/^\[|\]$/g, '') ?? '';
  const port = Number(match?.[2]);
  return ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback' && port >= 1 && port <= 65535;
}

const loopbackPairList = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().refine(isLoopbackPair, 'expected loopback HOST:PORT pairs (127.0.0.1:PORT, [::1]:PORT)')));

const portList = z
  .string()
  .default('80,443')
  .transform((s) => s.split(',').map((p) => Number(p.trim())))
  .pipe(z.array(z.number().int().min(1).max(65535)).min(1));

/**
 * Where the worker writes the audit head each day: `file:/absolute/path` (appended, fsync'd),
 * `syslog` (through logger(1)), or an `https://` endpoint (POSTed JSON). `http://` is accepted for
 * loopback only, and only with NODE_ENV=test.
 */
export type AuditAnchorTarget = { kind: 'file'; path: string } | { kind: 'syslog' } | { kind: 'http'; url: string };

function parseAnchorTarget(text: string): AuditAnchorTarget | undefined {
  if (text === 'syslog') return { kind: 'syslog' };
  if (text.startsWith('file:')) {
    const path = text.slice('file:'.length);
    return isAbsolute(path) && !path.includes('\0') ? { kind: 'file', path } : undefined;
  }
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  if (url.username || url.password) return undefined;
  if (url.protocol === 'https:') return { kind: 'http', url: url.href };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback';
  return url.protocol === 'http:' && loopback ? { kind: 'http', url: url.href } : undefined;
}

const auditAnchorSchema = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined || text === '') return undefined;
    const target = parseAnchorTarget(text);
    if (!target) ctx.addIssue({ code: 'custom', message: 'expected file:/absolute/path, syslog or https://...' });
    return target;
  });
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** `09:00-17:00` as minutes into the day. */
function workingMinutes(text: string): { start: number; end: number } {
  const [h1 = 0, m1 = 0, h2 = 0, m2 = 0] = text.split(/[-:]/).map(Number);
  return { start: h1 * 60 + m1, end: h2 * 60 + m2 };
}

const envSchema = z
  .object({
    NODE_ENV: z.enum(['production', 'development', 'test']).default('production'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    // The listen address: every interface unless given (an address, not a name: nothing to resolve).
    HOTLINE_HOST: z
      .string()
      .refine((value) => ipaddr.isValid(value), 'expected an IP address, e.g. 127.0.0.1 or ::1')
      .optional(),
    HOTLINE_DB: z.string().min(1).default('data/hotline.db'),
    HOTLINE_SECRET_KEY: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters (32 bytes)')
      .optional(),
    HOTLINE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
    HOTLINE_TRUST_PROXY: z.coerce.number().int().min(0).max(5).default(0),
    HOTLINE_RETENTION_DAYS: positiveInt.default(365),
    HOTLINE_REPORT_LIMIT: positiveInt.default(20),
    HOTLINE_STATUS_LIMIT: positiveInt.default(30),
    HOTLINE_FETCH: onOff.default('on'),
    HOTLINE_FETCH_ALLOW: loopbackPairList,
    HOTLINE_FETCH_PORTS: portList,
    HOTLINE_FETCH_TIMEOUT_MS: positiveInt.default(15_000),
    HOTLINE_FETCH_STREAM_TIMEOUT_MS: positiveInt.default(90_000),
    HOTLINE_FETCH_CONNECT_TIMEOUT_MS: positiveInt.default(5_000),
    HOTLINE_FETCH_MAX_BYTES: positiveInt.default(20 * 1024 * 1024),
    HOTLINE_FETCH_MAX_STREAM_BYTES: positiveInt.default(2 * 1024 * 1024 * 1024),
    HOTLINE_FETCH_MAX_MEDIA: positiveInt.default(50),
    HOTLINE_PROXY: z
      .string()
      .url()
      .regex(/^(socks5h?|http):\/\//, 'must be a socks5://, socks5h:// or http:// (CONNECT) proxy URL')
      .optional(),
    HOTLINE_MAX_PIXELS: positiveInt.default(40_000_000),
    HOTLINE_PDQ_THRESHOLD: z.coerce.number().int().min(0).max(128).default(defaultThreshold('pdq')),
    HOTLINE_PDQ_MIN_QUALITY: z.coerce.number().int().min(0).max(100).default(50),
    HOTLINE_BLOCKHASH_THRESHOLD: z.coerce.number().int().min(0).max(128).default(defaultThreshold('blockhash')),
    HOTLINE_WORKER: onOff.default('on'),
    HOTLINE_WORKER_CONCURRENCY: positiveInt.default(4),
    HOTLINE_TRIAGE_BUDGET_MS: positiveInt.default(120_000),
    HOTLINE_TRIAGE_DELAY: onOff.default('on'),
    HOTLINE_TEST_CLOCK_FILE: z.string().min(1).optional(),
    HOTLINE_SESSION_IDLE_MINUTES: positiveInt.default(30),
    HOTLINE_SESSION_ABSOLUTE_HOURS: positiveInt.default(12),
    HOTLINE_LOCKOUT_MINUTES: positiveInt.default(15),
    HOTLINE_EXPOSURE_LIMIT_MINUTES: positiveInt.default(120),
    HOTLINE_STATUS_DELAY_HOURS: z.coerce.number().int().min(0).max(720).default(24),
    HOTLINE_STATUS_DELAY_RANDOM_HOURS: z.coerce.number().int().min(0).max(720).default(24),
    HOTLINE_ANALYSTS_CONFIRM: onOff.default('off'),
    HOTLINE_EXPOSURE_BLUR_LEVEL: z.coerce.number().int().min(1).max(5).default(3),
    HOTLINE_BANK_UPLOAD_MAX_MB: positiveInt.default(100),
    HOTLINE_VIDEO_VIEWER_URL_TEMPLATE: z
      .string()
      .optional()
      .superRefine((template, context) => {
        const problem = template ? viewerTemplateProblem(template) : null;
        if (problem) context.addIssue({ code: 'custom', message: problem });
      }),
    HOTLINE_METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
    HOTLINE_HOME_COUNTRY: z
      .string()
      .regex(/^[A-Z]{2}$/, 'expected an ISO 3166 alpha-2 code such as BE')
      .default('BE'),
    HOTLINE_INFORM_POLICE: onOff.default('off'),
    HOTLINE_NOTIFY_PROVIDERS: z.enum(['never', 'home', 'always']).default('never'),
    HOTLINE_FORWARD_OVERDUE_HOURS: positiveInt.default(72),
    HOTLINE_EXPORT_DESCRIPTIONS: onOff.default('off'),
    HOTLINE_AUDIT_ANCHOR: auditAnchorSchema,
    HOTLINE_SMTP_URL: z
      .string()
      .url()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@relay.example:587')
      .optional(),
    HOTLINE_MAIL_FROM: z.string().email('must be an e-mail address').optional(),
    HOTLINE_DROP_POLICE_DIR: z.string().min(1).optional(),
    HOTLINE_DROP_PARTNER_DIR: z.string().min(1).optional(),
    HOTLINE_ICCAM_DIR: z.string().min(1).optional(),
    HOTLINE_PARTNER_CHANNEL: z.enum(['drop_folder', 'iccam']).default('drop_folder'),
    HOTLINE_DELIVERY_RETRY_MIN_SECONDS: positiveInt.default(60),
    HOTLINE_DELIVERY_RETRY_MAX_HOURS: positiveInt.default(6),
    HOTLINE_DELIVERY_FAILED_AFTER: positiveInt.default(5),
    HOTLINE_REMINDER_HOURS: positiveInt.default(24),
    HOTLINE_WORKING_DAYS: z
      .string()
      .regex(/^[1-7]-[1-7]$/, 'expected ISO weekdays FROM-TO, 1 Monday .. 7 Sunday, e.g. 1-5')
      .default('1-5'),
    HOTLINE_WORKING_HOURS: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'expected HH:MM-HH:MM, e.g. 09:00-17:00')
      .default('09:00-17:00'),
    HOTLINE_TIME_ZONE: z.string().refine(isTimeZone, 'expected an IANA time zone').default('Europe/Brussels'),
  })
  .refine((env) => env.HOTLINE_FETCH_ALLOW.length === 0 || env.NODE_ENV === 'test', {
    path: ['HOTLINE_FETCH_ALLOW'],
    message: 'opens loopback addresses to the fetcher and intake: allowed only with NODE_ENV=test',
  })
  .refine((env) => env.HOTLINE_TEST_CLOCK_FILE === undefined || env.NODE_ENV === 'test', {
    path: ['HOTLINE_TEST_CLOCK_FILE'],
    message: 'moves the server clock: allowed only with NODE_ENV=test',
  })
  .refine(
    (env) =>
      !(env.HOTLINE_AUDIT_ANCHOR?.kind === 'http' && env.HOTLINE_AUDIT_ANCHOR.url.startsWith('http:')) ||
      env.NODE_ENV === 'test',
    {
      path: ['HOTLINE_AUDIT_ANCHOR'],
      message: 'plain http:// (loopback) is allowed only with NODE_ENV=test; use https://',
    },
  )
  .refine((env) => !env.HOTLINE_SMTP_URL || env.HOTLINE_MAIL_FROM, {
    path: ['HOTLINE_MAIL_FROM'],
    message: 'is needed with HOTLINE_SMTP_URL: the address notices are sent from',
  })
  .refine((env) => env.HOTLINE_DELIVERY_RETRY_MIN_SECONDS <= env.HOTLINE_DELIVERY_RETRY_MAX_HOURS * 3600, {
    path: ['HOTLINE_DELIVERY_RETRY_MIN_SECONDS'],
    message: 'must not exceed HOTLINE_DELIVERY_RETRY_MAX_HOURS',
  })
  .refine((env) => workingMinutes(env.HOTLINE_WORKING_HOURS).start < workingMinutes(env.HOTLINE_WORKING_HOURS).end, {
    path: ['HOTLINE_WORKING_HOURS'],
    message: 'must end after it starts',
  })
  .refine((env) => env.HOTLINE_TRIAGE_DELAY === 'on' || env.NODE_ENV === 'test', {
    path: ['HOTLINE_TRIAGE_DELAY'],
    message: 'lets triage fetch at the second of the report: allowed off only with NODE_ENV=test',
  });

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  /** The address the server listens on; undefined: every interface. */
  host: string | undefined;
  dbPath: string;
  /** 32 bytes; the root of every derived key (encryption, form tokens, CSRF); `hotline key rotate` replaces it. */
  secretKey: Buffer;
  /**
   * 32 bytes; the root of the keyed hashes stored in the database (audit chain, receipt hashes,
   * status delays), which a rotation of the secret key leaves as they are (src/key-files.ts).
   * The secret key itself until the first rotation.
   */
  hashKey: Buffer;
  logLevel: Env['HOTLINE_LOG_LEVEL'];
  trustProxyHops: number;
  retentionDays: number;
  /** Public submissions and status checks allowed per client in ten minutes. */
  throttle: { reports: number; statusChecks: number; windowMs: number };
  fetch: {
    enabled: boolean;
    /** host:port pairs exempt from the address check; for tests only. */
    allow: string[];
    ports: number[];
    timeoutMs: number;
    /** Budget of a fetch whose body is streamed into the exact hashes (videos, archives). */
    streamTimeoutMs: number;
    connectTimeoutMs: number;
    maxBytes: number;
    /** Cap on any body streamed into the exact hashes (videos, archives, large images). */
    maxStreamBytes: number;
    maxMediaPerPage: number;
    proxy: string | undefined;
  };
  signals: { maxPixels: number };
  /**
   * The hotline's own IANA time zone (HOTLINE_TIME_ZONE): where its days begin (a skip lasts the
   * day, the exposure budget is daily) and its working hours lie (reminders).
   */
  timeZone: string;
  /** `thresholds`: per perceptual signal type, the settings its registry entry names (src/signals/types). */
  matching: { thresholds: Record<PerceptualSignalTypeName, number>; pdqMinQuality: number };
  /** `triageBudgetMs`: time one triage job may take, its page's media included. */
  /** `triageDelay`: whether intake holds new items to the next minute plus a random wait (off only in tests). */
  worker: { enabled: boolean; concurrency: number; triageBudgetMs: number; triageDelay: boolean };
  /** Tests only: a file holding an offset in milliseconds for the process clock (src/clock.ts). */
  testClockFile: string | undefined;
  auth: { sessionIdleMs: number; sessionAbsoluteMs: number; lockoutMs: number };
  /** Defaults of the workspace settings; admins change them at run time (src/review/settings.ts). */
  review: {
    exposureLimitMinutes: number;
    statusDelayHours: number;
    statusDelayRandomHours: number;
    analystsMayConfirm: boolean;
    exposureBlurLevel: number;
    /** Largest bank file an admin may upload (held in memory while it is imported). */
    bankUploadMaxBytes: number;
    /** Link from a video's hashes to the hotline's isolated viewer (src/review/video-viewer.ts); none when unset. */
    videoViewerUrlTemplate: string | undefined;
  };
  /** Bearer token that opens /metrics to a scraper; admins' sessions open it too. */
  metricsToken: string | undefined;
  /**
   * The routing rules (src/forwarding/routing.ts), when a forward not yet acknowledged is overdue,
   * and whether police exports carry the reporters' descriptions.
   */
  forwarding: { rules: RoutingRules; overdueMs: number; exportDescriptions: boolean; delivery: DeliveryConfig };
  /** Where the daily audit head goes (src/anchoring); none when unset. */
  auditAnchor: AuditAnchorTarget | undefined;
}

/** How forwards are delivered (src/forwarding/channels, src/forwarding/delivery). */
export interface DeliveryConfig {
  /** The channel of each kind of destination, unless its directory row names another; null: not delivered. */
  channels: Record<DestinationKind, ChannelName | null>;
  /** SMTP relay for notices; without it an e-mail delivery fails (and is retried) until it is set. Never logged. */
  smtpUrl: string | undefined;
  mailFrom: string | undefined;
  /** Drop folders: police packages, and partners' packages (one subfolder per country code). */
  dropFolders: { police: string | undefined; partner: string | undefined };
  /** Where the default ICCAM transport writes its JSON records. */
  iccamFolder: string | undefined;
  /** Exponential backoff with jitter between attempts; `failedAfter` attempts show the forward `failed` (still retried). */
  retry: { minMs: number; maxMs: number; failedAfter: number };
  /** A provider's notice is sent again every `everyMs` while the content stays online, within working hours. */
  reminders: { everyMs: number; workingHours: WorkingHours };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment; throws ConfigError listing every problem at once. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return result.data;
}

/**
 * The secret key comes from HOTLINE_SECRET_KEY, else from a file beside the database, which is
 * created (mode 0600) on first start. It is never logged.
 */
export function resolveSecretKey(env: Env): Buffer {
  if (env.HOTLINE_SECRET_KEY) return Buffer.from(env.HOTLINE_SECRET_KEY, 'hex');
  try {
    return readOrCreateSecretKey(env.HOTLINE_DB);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
}

export function buildConfig(env: Env, secretKey: Buffer, hashKey = secretKey): Config {
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOTLINE_HOST,
    dbPath: env.HOTLINE_DB,
    secretKey,
    hashKey,
    logLevel: env.HOTLINE_LOG_LEVEL,
    trustProxyHops: env.HOTLINE_TRUST_PROXY,
    retentionDays: env.HOTLINE_RETENTION_DAYS,
    throttle: { reports: env.HOTLINE_REPORT_LIMIT, statusChecks: env.HOTLINE_STATUS_LIMIT, windowMs: 600_000 },
    fetch: {
      enabled: env.HOTLINE_FETCH === 'on',
      allow: env.HOTLINE_FETCH_ALLOW,
      ports: env.HOTLINE_FETCH_PORTS,
      timeoutMs: env.HOTLINE_FETCH_TIMEOUT_MS,
      streamTimeoutMs: env.HOTLINE_FETCH_STREAM_TIMEOUT_MS,
      connectTimeoutMs: env.HOTLINE_FETCH_CONNECT_TIMEOUT_MS,
      maxBytes: env.HOTLINE_FETCH_MAX_BYTES,
      maxStreamBytes: env.HOTLINE_FETCH_MAX_STREAM_BYTES,
      maxMediaPerPage: env.HOTLINE_FETCH_MAX_MEDIA,
      proxy: env.HOTLINE_PROXY,
    },
    signals: { maxPixels: env.HOTLINE_MAX_PIXELS },
    matching: {
      thresholds: { pdq: env.HOTLINE_PDQ_THRESHOLD, blockhash: env.HOTLINE_BLOCKHASH_THRESHOLD },
      pdqMinQuality: env.HOTLINE_PDQ_MIN_QUALITY,
    },
    worker: {
      enabled: env.HOTLINE_WORKER === 'on',
      concurrency: env.HOTLINE_WORKER_CONCURRENCY,
      triageBudgetMs: env.HOTLINE_TRIAGE_BUDGET_MS,
      triageDelay: env.HOTLINE_TRIAGE_DELAY === 'on',
    },
    testClockFile: env.HOTLINE_TEST_CLOCK_FILE,
    timeZone: env.HOTLINE_TIME_ZONE,
    auth: {
      sessionIdleMs: env.HOTLINE_SESSION_IDLE_MINUTES * 60_000,
      sessionAbsoluteMs: env.HOTLINE_SESSION_ABSOLUTE_HOURS * 3_600_000,
      lockoutMs: env.HOTLINE_LOCKOUT_MINUTES * 60_000,
    },
    review: {
      exposureLimitMinutes: env.HOTLINE_EXPOSURE_LIMIT_MINUTES,
      statusDelayHours: env.HOTLINE_STATUS_DELAY_HOURS,
      statusDelayRandomHours: env.HOTLINE_STATUS_DELAY_RANDOM_HOURS,
      analystsMayConfirm: env.HOTLINE_ANALYSTS_CONFIRM === 'on',
      exposureBlurLevel: env.HOTLINE_EXPOSURE_BLUR_LEVEL,
      bankUploadMaxBytes: env.HOTLINE_BANK_UPLOAD_MAX_MB * 1024 * 1024,
      videoViewerUrlTemplate: env.HOTLINE_VIDEO_VIEWER_URL_TEMPLATE || undefined,
    },
    metricsToken: env.HOTLINE_METRICS_TOKEN,
    forwarding: {
      rules: {
        homeCountry: env.HOTLINE_HOME_COUNTRY,
        informPoliceOfPartnerForwards: env.HOTLINE_INFORM_POLICE === 'on',
        notifyProviders: env.HOTLINE_NOTIFY_PROVIDERS,
      },
      overdueMs: env.HOTLINE_FORWARD_OVERDUE_HOURS * 3_600_000,
      exportDescriptions: env.HOTLINE_EXPORT_DESCRIPTIONS === 'on',
      delivery: deliveryConfig(env),
    },
    auditAnchor: env.HOTLINE_AUDIT_ANCHOR,
  };
}

function deliveryConfig(env: Env): DeliveryConfig {
  const [firstDay = 1, lastDay = 5] = env.HOTLINE_WORKING_DAYS.split('-').map(Number);
  const minutes = workingMinutes(env.HOTLINE_WORKING_HOURS);
  return {
    channels: {
      police: 'drop_folder',
      partner_hotline: env.HOTLINE_PARTNER_CHANNEL,
      hosting_provider: 'email',
      // INTERPOL's database is reached through the police, never directly.
      interpol: null,
    },
    smtpUrl: env.HOTLINE_SMTP_URL,
    mailFrom: env.HOTLINE_MAIL_FROM,
    dropFolders: { police: env.HOTLINE_DROP_POLICE_DIR, partner: env.HOTLINE_DROP_PARTNER_DIR },
    iccamFolder: env.HOTLINE_ICCAM_DIR,
    retry: {
      minMs: env.HOTLINE_DELIVERY_RETRY_MIN_SECONDS * 1000,
      maxMs: env.HOTLINE_DELIVERY_RETRY_MAX_HOURS * 3_600_000,
      failedAfter: env.HOTLINE_DELIVERY_FAILED_AFTER,
    },
    reminders: {
      everyMs: env.HOTLINE_REMINDER_HOURS * 3_600_000,
      workingHours: {
        timeZone: env.HOTLINE_TIME_ZONE,
        firstDay,
        lastDay,
        startMinute: minutes.start,
        endMinute: minutes.end,
      },
    },
  };
}

/** Loads the configuration for a process: the environment plus the key files. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const env = parseEnv(source);
  return buildConfig(env, resolveSecretKey(env), resolveHashKey(env));
}

function resolveHashKey(env: Env): Buffer | undefined {
  try {
    return readHashKey(env.HOTLINE_DB);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
}
