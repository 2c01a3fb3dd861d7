import { lookup } from 'node:dns/promises';
import { connect, type Socket } from 'node:net';
import { isGlobalUnicastAddress, isVettedPeer } from './address-policy.ts';
import { FetchError, toFetchError } from './errors.ts';
import type { Target } from './url-policy.ts';

export type Resolver = (host: string) => Promise<{ address: string; family: 4 | 6 }[]>;

/** The system resolver (hosts file included, so `localhost` resolves, and is then refused). */
export const systemResolver: Resolver = async (host) => {
  const records = await lookup(host, { all: true, verbatim: true });
  return records.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
};

export interface OpenedSocket {
  socket: Socket;
  /** The peer address read from the connected socket ('' when a proxy resolved the name). */
  remoteAddress: string;
  /** For https: why the server's certificate did not verify (`CERT_HAS_EXPIRED` ...); null when it did. */
  certificateError?: string | null;
}

/** Rejects with a timeout when the signal fires first; the caller cleans up what arrives late. */
export function raceSignal<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new FetchError('timeout'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new FetchError('timeout'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Resolves the name ourselves and vets every address. A name with any non-global address is
 * refused outright: mixing a public and an internal record is a rebinding trick, not an accident.
 */
export async function vettedAddresses(host: string, resolve: Resolver, signal: AbortSignal): Promise<string[]> {
  const records = await raceSignal(resolve(host), signal).catch((error: unknown) => {
    throw error instanceof FetchError ? error : new FetchError('dns');
  });
  if (records.length === 0) throw new FetchError('dns');
  if (!records.every((r) => isGlobalUnicastAddress(r.address))) throw new FetchError('blocked_address');
  return records.map((r) => r.address);
}

/** Connects to one address and checks that the socket's peer is that vetted address. */
function connectTo(address: string, target: Target, signal: AbortSignal): Promise<OpenedSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port: target.port });
    const fail = (error: unknown) => {
      socket.destroy();
      reject(toFetchError(error));
    };
    const onAbort = () => fail(new FetchError('timeout'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    // The error listener stays: until undici adds its own, an error must not go unhandled.
    socket.once('error', fail);
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      const peer = socket.remoteAddress;
      if (!isVettedPeer(peer, address, target.allowListed)) {
        return fail(new FetchError('blocked_address', 'connected peer is not the vetted address'));
      }
      resolve({ socket, remoteAddress: peer as string });
    });
  });
}

/** Tries each vetted address in turn until one connects; the last failure otherwise. */
export async function firstConnecting(
  addresses: readonly string[],
  signal: AbortSignal,
  attempt: (address: string) => Promise<OpenedSocket>,
): Promise<OpenedSocket> {
  let lastError: unknown;
  for (const address of addresses) {
    try {
      return await attempt(address);
    } catch (error) {
      lastError = error;
      if (signal.aborted) break;
    }
  }
  throw toFetchError(lastError);
}

/** Opens a TCP connection to a vetted address of the target, trying each resolved address in turn. */
export async function openDirect(target: Target, resolve: Resolver, signal: AbortSignal): Promise<OpenedSocket> {
  const addresses = target.literal !== null ? [target.literal] : await vettedAddresses(target.host, resolve, signal);
  return firstConnecting(addresses, signal, (address) => connectTo(address, target, signal));
}
