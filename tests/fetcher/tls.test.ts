import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/fetcher/index.ts';
import { startLoopbackServer } from '../support/loopback-server.ts';
import { reasonOf, testFetchOptions } from './helpers.ts';

/**
 * A throwaway self-signed certificate for 127.0.0.1, made by openssl on stdout. Without openssl
 * these tests fail (never skip): `.ci/run` installs it.
 */
function selfSigned(): { key: string; cert: string } {
  let pem: string;
  try {
    pem = execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        '-',
        '-out',
        '-',
        '-subj',
        '/CN=127.0.0.1',
        '-days',
        '1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (error) {
    throw new Error(`the TLS tests need openssl to make a test certificate: ${String(error)}`);
  }
  const block = (label: string) =>
    new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`).exec(pem)?.[0];
  const key = block('PRIVATE KEY');
  const cert = block('CERTIFICATE');
  if (!key || !cert) throw new Error('openssl gave no key and certificate');
  return { key, cert };
}

describe('https', () => {
  let credentials: { key: string; cert: string };
  let server: Server;
  let port: number;
  const requests: string[] = [];

  beforeAll(async () => {
    credentials = selfSigned();
    server = createServer(credentials, (req, res) => {
      requests.push(req.url ?? '');
      res.end('<p>over tls');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    if (!server?.listening) return; // openssl was missing: beforeAll failed, which fails the tests
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetches and hashes content behind a certificate nobody vouches for, and says so', async () => {
    const fetcher = createFetcher(testFetchOptions({ allow: [`127.0.0.1:${port}`] }));
    const fetched = await fetcher.fetch(`https://127.0.0.1:${port}/untrusted`);
    expect(fetched).toMatchObject({ status: 200, tlsInvalid: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(fetched.exact.sha256).toBe(createHash('sha256').update('<p>over tls').digest('hex'));
    expect(requests).toContain('/untrusted');
    await fetcher.close();
  });

  it('carries the failure of a hop on the way: http redirected to an unverified https', async () => {
    const redirecting = await startLoopbackServer((_req, res) =>
      res.writeHead(302, { location: `https://127.0.0.1:${port}/after-redirect` }).end(),
    );
    const fetcher = createFetcher(testFetchOptions({ allow: [`127.0.0.1:${port}`, redirecting.pair] }));
    const fetched = await fetcher.fetch(`${redirecting.origin}/start`);
    expect(fetched).toMatchObject({ status: 200, tlsInvalid: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    await fetcher.close();
    await redirecting.close();
  });

  it('fetches over TLS on the vetted socket when the certificate is trusted', async () => {
    // Node reads extra CAs only at start, so this fetch runs in a child process.
    const dir = mkdtempSync(join(tmpdir(), 'hotline-ca-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), credentials.cert);
      const child = join(import.meta.dirname, 'fetch-once.ts');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', child, `https://127.0.0.1:${port}/trusted`, `127.0.0.1:${port}`],
        { env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') } },
      );
      expect(JSON.parse(stdout)).toEqual({ status: 200, body: '<p>over tls', remote: '127.0.0.1', tlsInvalid: null });
      expect(requests).toContain('/trusted');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a server that does not speak TLS', () => {
  it('is a TLS failure, not a network one', async () => {
    const plain = await startLoopbackServer((_req, res) => res.end('plain http'));
    const fetcher = createFetcher(testFetchOptions({ allow: [plain.pair] }));
    expect(await reasonOf(fetcher.fetch(`https://${plain.pair}/`))).toBe('tls');
    expect(plain.requests).toEqual([]);
    await fetcher.close();
    await plain.close();
  });
});
