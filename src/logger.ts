import { type DestinationStream, type Logger, pino } from 'pino';
import { startOfMinute } from './minute.ts';

export type { Logger };

/**
 * Only these fields ever reach a log line. Anything else a caller passes is dropped, so a request,
 * a header, a body, a URL or a receipt cannot be logged by accident.
 */
const allowedFields = new Set([
  'domain',
  'event',
  'method',
  'route',
  'status',
  'durationMs',
  'reportId',
  'itemId',
  'jobId',
  'jobType',
  'attempt',
  'state',
  'reason',
  'bank',
  'count',
  'userId',
  'errorId',
  'err',
  'port',
  'dbPath',
]);

function pickAllowed(object: Record<string, unknown> | undefined): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object ?? {})) {
    if (!allowedFields.has(key)) continue;
    kept[key] = key === 'err' ? describeError(value) : value;
  }
  return kept;
}

// An error's message may quote input; keep its type, a code that looks like one, and stack frames.
function describeError(value: unknown): unknown {
  if (!(value instanceof Error)) return { type: typeof value };
  const frames = (value.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  const code = (value as { code?: unknown }).code;
  return {
    type: value.name,
    code: typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : undefined,
    stack: frames.slice(0, 8).join('\n'),
  };
}

/**
 * The message of a line is the caller's constant text, never an error's message (pino would use it
 * when given an error alone) and never interpolated arguments, which could carry input.
 */
function logMethod(this: Logger, args: unknown[], method: (...args: unknown[]) => void): void {
  const [first, second] = args;
  const fields = first instanceof Error ? { err: first } : typeof first === 'object' && first !== null ? first : {};
  const message = typeof first === 'string' ? first : typeof second === 'string' ? second : 'event';
  method.apply(this, [fields, message]);
}

// Minute resolution, as for reports: a precise time on a public request could be matched against
// someone's network logs.
const minuteTimestamp = () => `,"time":${startOfMinute(Date.now())}`;

/**
 * pino writes a child's bindings once, when the child is made, and its `formatters.bindings` shapes
 * only the root's (pino resets it for children): the log formatter never sees them. A child's
 * bindings are constants in our code, so one outside the allow-list is a programming error, refused
 * where it is made rather than dropped in silence.
 */
function refuseUnlistedBindings(child: Logger): void {
  const unlisted = Object.keys(child.bindings()).filter((key) => !allowedFields.has(key));
  if (unlisted.length > 0) throw new Error(`logger bindings not in the allow-list: ${unlisted.join(', ')}`);
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      formatters: { log: pickAllowed },
      serializers: {},
      hooks: { logMethod },
      timestamp: minuteTimestamp,
      onChild: refuseUnlistedBindings,
    },
    destination ?? pino.destination(1),
  );
}
