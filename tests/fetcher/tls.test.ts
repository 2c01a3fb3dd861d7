import { execFile, execFileSync } from 'node:child_process';
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

/** A throwaway self-signed certificate for 127.0.0.1, made by openssl on stdout. */
function selfSigned(): { key: string; cert: string } | null {
  try {
    const pem = execFileSync(
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
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const block = (label: string) =>
      new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`).exec(pem)?.[0];
    const key = block('PRIVATE KEY');
    const cert = block('CERTIFICATE');
    return key && cert ? { key, cert } : null;
  } catch {
    return null;
  }
}

const credentials = selfSigned();

describe.skipIf(credentials === null)('https', () => {
  let server: Server;
  let port: number;
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer(credentials ?? {}, (req, res) => {
      requests.push(req.url ?? '');
      res.end('<p>over tls');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses a certificate nobody vouches for, before sending the request', async () => {
    const fetcher = createFetcher(testFetchOptions({ allow: [`127.0.0.1:${port}`] }));
    const error = await fetcher.fetch(`https://127.0.0.1:${port}/untrusted`).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'tls', message: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(requests).not.toContain('/untrusted');
    await fetcher.close();
  });

  it('fetches over TLS on the vetted socket when the certificate is trusted', async () => {
    // Node reads extra CAs only at start, so this fetch runs in a child process.
    const dir = mkdtempSync(join(tmpdir(), 'hotline-ca-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), credentials?.cert ?? '');
      const child = join(import.meta.dirname, 'fetch-once.ts');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', child, `https://127.0.0.1:${port}/trusted`, `127.0.0.1:${port}`],
        { env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') } },
      );
      expect(JSON.parse(stdout)).toEqual({ status: 200, body: '<p>over tls', remote: '127.0.0.1' });
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
