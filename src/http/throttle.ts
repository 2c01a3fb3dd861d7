import { createHmac, randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { tooManyRequests } from './errors.ts';

const dayMs = 86_400_000;

/**
 * Per-client counting without knowing the client: the address is turned into an HMAC under a key
 * that lives only in memory and is replaced every day, so yesterday's counters cannot be linked to
 * today's and nothing that could identify a reporter outlives the day or reaches the disk.
 */
export class ClientKeyer {
  private key = randomBytes(32);
  private keyDay: number;

  constructor(private readonly now: () => number) {
    this.keyDay = Math.floor(now() / dayMs);
  }

  keyFor(req: Request): string {
    const day = Math.floor(this.now() / dayMs);
    if (day !== this.keyDay) {
      this.key = randomBytes(32);
      this.keyDay = day;
    }
    const address = req.ip ?? req.socket.remoteAddress ?? ''; // hashed at once, never stored or logged
    return createHmac('sha256', this.key).update(address).digest('base64url');
  }
}

export interface ThrottleOptions {
  limit: number;
  windowMs: number;
  now: () => number;
  keyer: ClientKeyer;
}

/** A fixed-window limit per client; over it, 429 with a localised message. */
export function throttle({ limit, windowMs, now, keyer }: ThrottleOptions): RequestHandler {
  let windowStart = now();
  let counts = new Map<string, number>();
  return (req, _res, next) => {
    const at = now();
    if (at - windowStart >= windowMs) {
      windowStart = at;
      counts = new Map();
    }
    const key = keyer.keyFor(req);
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    next(count > limit ? tooManyRequests() : undefined);
  };
}
