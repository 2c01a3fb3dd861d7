import { FetchError, type FetchOptions } from '../../../src/triage/fetcher/index.ts';

/** Options for a fetcher under test: short limits, nothing allowed unless the test says so. */
export function testFetchOptions(overrides: Partial<FetchOptions> = {}): FetchOptions {
  return {
    allow: [],
    ports: [80, 443],
    timeoutMs: 5_000,
    connectTimeoutMs: 2_000,
    maxBytes: 1024 * 1024,
    ...overrides,
  };
}

/** The reason a promise was refused with, or 'fulfilled'. */
export async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'fulfilled';
  } catch (error) {
    return error instanceof FetchError ? error.reason : `unexpected ${String(error)}`;
  }
}
