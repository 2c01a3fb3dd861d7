import { rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccountWithCli, totpNow } from '../e2e/analyst-support.ts';
import { readZipEntries } from '../forwarding/zip-entries.ts';
import { illegalBaseline } from '../support/assessments.ts';
import { filesHoldingImagery, largeWebp, watchDirectories } from '../support/imagery-at-rest.ts';
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server.ts';
import { type RunningServer, startRealServer } from '../support/server.ts';
import { type SyntheticFormat, syntheticImage } from '../support/synthetic-images.ts';
import { createWorkspace } from '../support/worker-process.ts';

// Zero imagery at rest for the safe view: the real server triages a site of synthetic pictures
// and a large one (which libvips, left to its defaults, would decode through a temporary file),
// then serves dozens of safe views of them at every blur level. Its data and temp directories are
// watched while the views are served and scanned after for pieces of the originals and of the
// views it answered. The positive controls of tests/triage/no-imagery-at-rest.test.ts show the
// same watch and scan catch a decoder's temporary file or a written image.

const formats: SyntheticFormat[] = ['png', 'jpeg', 'webp', 'gif'];
const pictureCount = 8;
/** The database and the key files beside it (src/key-files.ts). */
const databaseFiles = /^hotline\.db(-wal|-shm|-journal|\.key|\.export-ed25519\.pem)?$/;
const processTestTimeout = 240_000;

let site: LoopbackServer;
let server: RunningServer;
let workspace: ReturnType<typeof createWorkspace>;
let started: number;
const images = new Map<string, Buffer>();
const answered: Buffer[] = [];

/**
 * A distinctive stretch from inside each buffer (32 bytes, most of them different: a view of a
 * plain-coloured picture is repetitive in places, like a database page of zeros), or none when
 * the buffer holds no such stretch. Finding one in a file means the buffer was written out.
 */
function probesOf(buffers: Buffer[]): Buffer[] {
  return buffers.flatMap((bytes) => {
    for (let at = Math.floor(bytes.length / 2); at + 32 <= bytes.length; at += 32) {
      const piece = bytes.subarray(at, at + 32);
      if (new Set(piece).size >= 24) return [piece];
    }
    return [];
  });
}

beforeAll(async () => {
  started = Date.now();
  for (let i = 0; i < pictureCount; i++) {
    images.set(`/img/${i}.${formats[i % formats.length]}`, await syntheticImage(9100 + i, { format: formats[i % 4] }));
  }
  images.set('/img/large.webp', await largeWebp());
  site = await startLoopbackServer((req, res) => {
    const body = images.get(req.url ?? '');
    if (body) res.writeHead(200).end(body);
    else res.writeHead(404).end();
  });
  workspace = createWorkspace('hotline-views-at-rest-');
  server = await startRealServer({
    NODE_ENV: 'test',
    HOTLINE_DB: workspace.dbPath,
    TMPDIR: workspace.tmpDir,
    HOTLINE_FETCH: 'on',
    HOTLINE_FETCH_ALLOW: site.pair,
    HOTLINE_TRIAGE_DELAY: 'off',
    HOTLINE_REPORT_LIMIT: '1000',
    // Delivery writes packages and records to files: what it writes is checked below too.
    HOTLINE_DROP_POLICE_DIR: join(workspace.dir, 'deliveries', 'police'),
    HOTLINE_ICCAM_DIR: join(workspace.dir, 'deliveries', 'iccam'),
  });
}, processTestTimeout);

afterAll(async () => {
  await server?.stop();
  await site?.close();
  rmSync(workspace.dir, { recursive: true, force: true });
});

/** A session on the server of a new account (a supervisor unless told), signed in through the API. */
async function signIn(
  name = 'sue',
  role: 'analyst' | 'supervisor' | 'admin' = 'supervisor',
): Promise<{ cookie: string; csrf: string }> {
  const account = addAccountWithCli(workspace.dbPath, name, role);
  const res = await fetch(`${server.baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password, totp: totpNow(account.totpSecret) }),
  });
  expect(res.status).toBe(200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

describe('zero imagery at rest: safe views', () => {
  it('dozens of safe views, a large image among them, write no image byte to any file', {
    timeout: processTestTimeout,
  }, async () => {
    const session = await signIn();
    const get = (path: string) => fetch(`${server.baseUrl}/api/v1${path}`, { headers: { Cookie: session.cookie } });
    for (const path of images.keys()) {
      const res = await fetch(`${server.baseUrl}/api/v1/reports`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ urls: [`${site.origin}${path}`] }),
      });
      expect(res.status).toBe(201);
    }
    const triaged = async () => ((await (await get('/queue')).json()) as { queues: { new: number } }).queues.new;
    await expect.poll(triaged, { timeout: 120_000, interval: 500 }).toBe(images.size);
    const items = ((await (await get('/items')).json()) as { items: { id: number; url: string }[] }).items;
    expect(items).toHaveLength(images.size);

    const watch = watchDirectories([workspace.dataDir, workspace.tmpDir]);
    for (const item of items) {
      for (const blur of [5, 3, 0]) {
        const res = await get(`/items/${item.id}/media/0/view?blur=${blur}&grey=${blur === 0 ? 0 : 1}`);
        expect(res.status, item.url).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/jpeg');
        answered.push(Buffer.from(await res.arrayBuffer()));
      }
    }
    watch.close();
    // The large image was viewed too (it is not refused as too large).
    expect(items.some((i) => i.url.endsWith('/img/large.webp'))).toBe(true);
    expect(answered).toHaveLength(images.size * 3);

    // Not even briefly: no file but the database's appeared while the views were served.
    expect(watch.events.filter((name) => !databaseFiles.test(name))).toEqual([]);
    const probes = probesOf([...images.values(), ...answered]);
    // Every picture and nearly every view gave a probe (a plain-coloured view may not).
    expect(probes.length).toBeGreaterThanOrEqual(images.size + answered.length - 3);
    const found = await filesHoldingImagery(workspace.dir, probes);
    expect(found).toEqual([]);
    const elsewhere = await filesHoldingImagery(tmpdir(), probes, started);
    expect(elsewhere.filter((file) => !file.startsWith(workspace.dir))).toEqual([]);
    // Nor in what the server logged.
    const log = Buffer.from(server.output());
    expect(probes.some((probe) => log.includes(probe))).toBe(false);
  });

  it('the forwards of confirmed items are delivered to files (drop folder, ICCAM record) without an image byte', {
    timeout: processTestTimeout,
  }, async () => {
    const analyst = await signIn('ann', 'analyst');
    const supervisor = await signIn('sam', 'supervisor');
    const admin = await signIn('ada', 'admin');
    const call = (who: { cookie: string; csrf: string }, method: string, path: string, body: unknown) =>
      fetch(`${server.baseUrl}/api/v1${path}`, {
        method,
        headers: {
          Cookie: who.cookie,
          'X-CSRF-Token': who.csrf,
          'Content-Type': 'application/json',
          Origin: server.baseUrl,
        },
        body: JSON.stringify(body),
      });
    const items = (await (
      await fetch(`${server.baseUrl}/api/v1/items`, { headers: { Cookie: analyst.cookie } })
    ).json()) as {
      items: { id: number }[];
    };
    const confirm = async (itemId: number) => {
      const assessed = await call(analyst, 'POST', `/items/${itemId}/assessments`, illegalBaseline);
      expect(assessed.status).toBe(201);
      const { assessment } = (await assessed.json()) as { assessment: { id: number } };
      expect((await call(supervisor, 'POST', `/assessments/${assessment.id}/confirm`, {})).status).toBe(200);
    };
    const deliveries = join(workspace.dir, 'deliveries');
    const delivered = async (folder: string) =>
      (await readdir(join(deliveries, folder)).catch(() => [])).filter((n) => !n.startsWith('.'));

    // Hosted on loopback, hence nowhere known: to the police, first as a signed package in the drop folder...
    const [first, second] = items.items as [{ id: number }, { id: number }];
    await confirm(first.id);
    await expect.poll(() => delivered('police'), { timeout: 120_000, interval: 500 }).toHaveLength(1);
    // ... then, the police's channel changed by an admin, as an ICCAM record.
    const destinations = (await (
      await fetch(`${server.baseUrl}/api/v1/destinations`, { headers: { Cookie: admin.cookie } })
    ).json()) as {
      destinations: { id: number; kind: string }[];
    };
    const police = destinations.destinations.find((d) => d.kind === 'police');
    expect((await call(admin, 'PATCH', `/destinations/${police?.id}`, { channel: 'iccam' })).status).toBe(200);
    await confirm(second.id);
    await expect.poll(() => delivered('iccam'), { timeout: 120_000, interval: 500 }).toHaveLength(1);

    const [zipName] = await delivered('police');
    const entries = await readZipEntries(join(deliveries, 'police', zipName as string));
    expect([...entries.keys()]).toContain('hashes.vics.json');
    const [recordName] = await delivered('iccam');
    const written = [...entries.values(), await readFile(join(deliveries, 'iccam', recordName as string))];
    // The packages name the media by their hashes: what a receiver needs, and nothing of the pictures.
    const probes = probesOf([...images.values(), ...answered]);
    expect(probes.length).toBeGreaterThan(images.size);
    for (const bytes of written) expect(probes.some((probe) => bytes.includes(probe))).toBe(false);
    expect(await filesHoldingImagery(deliveries, probes)).toEqual([]);
  });
});
