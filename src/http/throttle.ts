import { createHmac, randomBytes } from 'node:crypto';
import { isIPv4 } from 'node:net';
import type { Request, RequestHandler } from 'express';
import ipaddr from 'ipaddr.js';
import { TooMany } from '../errors.ts';

const dayMs = 86_400_000;
const ipv4MappedPrefix = '::ffff:';

/**
 * Who a request comes from, for counting: an IPv4 address (IPv4-mapped IPv6 included) as itself,
 * an IPv6 address by its /64, since one subscriber usually holds a whole /64 and could rotate within it.
 */
export function clientNetwork(address: string): string {
  // A dotted quad, as a socket reports IPv4 (mapped into IPv6 on a dual-stack listener), is its
  // own network: no parsing needed on the path every request takes.
  const dotted = address.startsWith(ipv4MappedPrefix) ? address.slice(ipv4MappedPrefix.length) : address;
  if (isIPv4(dotted)) return dotted;
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}

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
    return createHmac('sha256', this.key).update(clientNetwork(address)).digest('base64url');
  }
}

export interface ThrottleOptions {
  limit: number;
  windowMs: number;
  now: () => number;
  keyer: ClientKeyer;
  /** Counters kept at once: memory stays bounded under a flood of addresses. */
  maxClients?: number;
}

/** A fixed-window limit per client. `hit` counts a request and says whether it is still allowed. */
export function rateLimit({ limit, windowMs, now, keyer, maxClients = 100_000 }: ThrottleOptions) {
  let windowStart = now();
  let counts = new Map<string, number>();
  return {
    hit(req: Request): boolean {
      const at = now();
      if (at - windowStart >= windowMs) {
        windowStart = at;
        counts = new Map();
      }
      const key = keyer.keyFor(req);
      const previous = counts.get(key);
      // When the table is full, a client not in it yet is refused until the window ends: a flood of
      // fresh addresses must not be able to wipe everyone else's counters.
      if (previous === undefined && counts.size >= maxClients) return false;
      const count = (previous ?? 0) + 1;
      counts.set(key, count);
      return count <= limit;
    },
  };
}

/** The same limit as middleware: over it, 429 with a localised message. */
export function throttle(options: ThrottleOptions): RequestHandler {
  const limit = rateLimit(options);
  return (req, _res, next) => next(limit.hit(req) ? undefined : new TooMany());
}
