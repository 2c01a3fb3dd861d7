import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSources } from './support/server.ts';

let occupier: Server;
let port: number;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hotline-port-'));
  // Bound as the server binds (every address), so the server's own listen is the one refused.
  occupier = createServer();
  await new Promise<void>((resolve) => occupier.listen(0, resolve));
  const address = occupier.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  port = address.port;
});
afterAll(async () => {
  await new Promise((resolve) => occupier.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start on a port in use', () => {
  it('says so and exits 1, without claiming to serve', async () => {
    const child = spawn(process.execPath, fromSources, {
      env: { ...process.env, PORT: String(port), HOTLINE_DB: join(dataDir, 'hotline.db'), HOTLINE_FETCH: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain(`port ${port} is already in use`);
    expect(output).not.toContain('serving');
  }, 60_000);
});
