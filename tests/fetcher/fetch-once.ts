import { createFetcher } from '../../src/fetcher/index.ts';

// Fetches one URL in a separate process (so NODE_EXTRA_CA_CERTS can apply) and prints the outcome.
// Usage: fetch-once.ts URL ALLOWED_PAIR
const [url = '', pair = ''] = process.argv.slice(2);
const fetcher = createFetcher({
  allow: [pair],
  ports: [443],
  timeoutMs: 5_000,
  connectTimeoutMs: 2_000,
  maxBytes: 1 << 20,
  maxStreamBytes: 1 << 20,
});
try {
  const fetched = await fetcher.fetch(url);
  console.log(
    JSON.stringify({
      status: fetched.status,
      body: fetched.bytes?.toString('utf8'),
      remote: fetched.remoteAddress,
      tlsInvalid: fetched.tlsInvalid,
    }),
  );
} catch (error) {
  console.log(JSON.stringify({ error: (error as { reason?: string }).reason ?? String(error) }));
} finally {
  await fetcher.close();
}
