import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKey } from '../../src/crypto/seal.ts';
import { openDatabase } from '../../src/db/client.ts';
import { readOrCreateSecretKey } from '../../src/key-files.ts';
import { statusDelayMs } from '../../src/review/reporter-status.ts';
import { medium, triageUrl } from '../review/fixtures.ts';
import type { TestApp } from '../support/app.ts';
import { testConfig } from '../support/config.ts';
import { type RunningServer, startRealServer } from '../support/server.ts';
import { addAccountWithCli, type CliAccount, totpNow } from './analyst-support.ts';

// What a reporter sees, against the real server (src/main.ts) under an injected clock
// (HOTLINE_TEST_CLOCK_FILE): the default delay of 24 hours plus a random part up to 24 hours, read
// from the server's own key, is waited for by moving the server's clock, not by sleeping.

const minute = 60_000;
const url = 'https://status-check.example.com/gallery';

describe('the reporter status on the real server, under an injected clock', () => {
  let server: RunningServer;
  let clockDir: string;
  let clockFile: string;
  let dbPath: string;
  let analyst: CliAccount;
  let supervisor: CliAccount;

  /** Moves the server's clock so that it reads `at` now (0: the real time). */
  const setServerTime = (at: number | 0) => writeFileSync(clockFile, String(at === 0 ? 0 : at - Date.now()));

  beforeAll(async () => {
    clockDir = mkdtempSync(join(tmpdir(), 'hotline-clock-'));
    clockFile = join(clockDir, 'offset');
    writeFileSync(clockFile, '0');
    server = await startRealServer({
      NODE_ENV: 'test',
      HOTLINE_TEST_CLOCK_FILE: clockFile,
      HOTLINE_REPORT_LIMIT: '1000',
      HOTLINE_STATUS_LIMIT: '1000',
    });
    dbPath = join(server.dataDir, 'hotline.db');
    analyst = addAccountWithCli(dbPath, 'status-analyst', 'analyst');
    supervisor = addAccountWithCli(dbPath, 'status-supervisor', 'supervisor');
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(clockDir, { recursive: true, force: true });
  });

  async function report(): Promise<{ receipt: string; reportId: number; receivedAt: number }> {
    const res = await fetch(`${server.baseUrl}/api/v1/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ urls: [url], category: 'csam' }),
    });
    expect(res.status).toBe(201);
    const { receipt, status } = (await res.json()) as { receipt: string; status: string };
    expect(status).toBe('received');
    const { id, receivedAt } = sql<{ id: number; receivedAt: number }>(
      'select id, received_at as receivedAt from reports order by id desc limit 1',
    );
    return { receipt, reportId: id, receivedAt };
  }

  async function statusOf(receipt: string): Promise<string> {
    const res = await fetch(`${server.baseUrl}/api/v1/status`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ receipt }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { status: string }).status;
  }

  /** The status a reporter sees when the server's clock reads `at`. */
  async function statusAt(receipt: string, at: number): Promise<string> {
    setServerTime(at);
    try {
      return await statusOf(receipt);
    } finally {
      setServerTime(0);
    }
  }

  function sql<T>(query: string, ...params: unknown[]): T {
    const handle = openDatabase(dbPath);
    try {
      return handle.sqlite.prepare(query).get(...params) as T;
    } finally {
      handle.close();
    }
  }

  /** The server's delay for a report: its settings' defaults and its own secret key. */
  const delayOf = (reportId: number) =>
    statusDelayMs(deriveKey(readOrCreateSecretKey(dbPath), 'status-delay'), reportId, {
      statusDelayHours: 24,
      statusDelayRandomHours: 24,
    });

  /** Signs in over the JSON API (at the real time: TOTP) and calls it as that account. */
  async function session(account: CliAccount) {
    const res = await fetch(`${server.baseUrl}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        username: account.username,
        password: account.password,
        totp: totpNow(account.totpSecret),
      }),
    });
    expect(res.status).toBe(200);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return async (method: string, path: string, body: object = {}) => {
      const answer = await fetch(`${server.baseUrl}/api/v1${path}`, {
        method,
        headers: {
          Cookie: cookie,
          'X-CSRF-Token': csrfToken,
          'Sec-Fetch-Site': 'same-origin',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      return {
        status: answer.status,
        body: answer.status === 204 ? null : ((await answer.json()) as Record<string, { id: number }>),
      };
    };
  }

  it('received, in_review after a claim and the delay, closed once decided; an earlier decision counts from the report', async () => {
    const first = await report();
    // Triage's result, written as the worker would (fetching is off on this server).
    const writer = {
      database: openDatabase(dbPath),
      config: testConfig(),
      clock: { now: Date.now },
    } as unknown as TestApp;
    const itemId = triageUrl(writer, url, [medium('status picture')]);
    writer.database.close();
    const delay = delayOf(first.reportId);
    expect(delay).toBeGreaterThanOrEqual(24 * 60 * minute);
    expect(delay).toBeLessThan(48 * 60 * minute);
    expect(await statusOf(first.receipt)).toBe('received');

    const asAnalyst = await session(analyst);
    const asSupervisor = await session(supervisor);
    const claimed = await asAnalyst('POST', '/queue/next');
    expect([claimed.status, claimed.body?.item?.id]).toEqual([200, itemId]);
    const { inReviewAt } = sql<{ inReviewAt: number }>(
      'select in_review_at as inReviewAt from item_reviews where item_id = ?',
      itemId,
    );
    expect(await statusOf(first.receipt)).toBe('received');
    expect(await statusAt(first.receipt, inReviewAt + delay - minute)).toBe('received');
    expect(await statusAt(first.receipt, inReviewAt + delay + minute)).toBe('in_review');

    // The analyst decides ten minutes later (on the server's clock), within the claim.
    setServerTime(inReviewAt + 10 * minute);
    const created = await asAnalyst('POST', `/items/${itemId}/assessments`, { legalStatus: 'not_illegal' });
    expect(created.status).toBe(201);
    const confirmed = await asSupervisor('POST', `/assessments/${created.body?.assessment?.id}/confirm`);
    expect(confirmed.status).toBe(200);
    setServerTime(0);
    const { decidedAt } = sql<{ decidedAt: number }>(
      'select decided_at as decidedAt from item_reviews where item_id = ?',
      itemId,
    );
    expect(await statusOf(first.receipt)).toBe('received');
    expect(await statusAt(first.receipt, decidedAt + delay - minute)).toBe('in_review');
    expect(await statusAt(first.receipt, decidedAt + delay + minute)).toBe('closed');

    // A site operator reports the same address two hours after it was decided: the decision counts
    // as made when that report arrived, so the status shows it only the delay after the report.
    setServerTime(decidedAt + 2 * 60 * minute);
    const later = await report();
    setServerTime(0);
    expect(later.receivedAt).toBeGreaterThan(decidedAt + 60 * minute);
    const laterDelay = delayOf(later.reportId);
    expect(await statusAt(later.receipt, later.receivedAt)).toBe('received');
    // Without the rule this would already be `closed`: the decision is more than the delay old.
    expect(decidedAt + laterDelay).toBeLessThan(later.receivedAt + laterDelay - minute);
    expect(await statusAt(later.receipt, later.receivedAt + laterDelay - minute)).toBe('received');
    expect(await statusAt(later.receipt, later.receivedAt + laterDelay + minute)).toBe('closed');
  }, 120_000);
});
