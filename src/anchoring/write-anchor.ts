import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { AuditAnchorTarget } from '../config.ts';

const run = promisify(execFile);

/** Time an anchor endpoint or syslog may take before the attempt fails (and the job retries). */
const writeTimeoutMs = 15_000;

/** A failed write, with a stable reason for the job's failure record (never a message or address). */
export class AnchorWriteFailed extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AnchorWriteFailed';
  }
}

/**
 * Writes one anchor line to where HOTLINE_AUDIT_ANCHOR says. It returns only once the line is
 * durable there: fsync'd to the file, accepted by logger(1), or answered 2xx by the endpoint.
 */
export async function writeAnchor(target: AuditAnchorTarget, line: string, signal: AbortSignal): Promise<void> {
  if (target.kind === 'file') return appendDurably(target.path, line);
  if (target.kind === 'syslog') return sendToSyslog(line, signal);
  return postAnchor(target.url, line, signal);
}

/** Appends the line and fsyncs it before returning; the file is made owner-only if it is new. */
async function appendDurably(path: string, line: string): Promise<void> {
  let file: Awaited<ReturnType<typeof open>> | undefined;
  try {
    file = await open(path, 'a', 0o600);
    await file.appendFile(`${line}\n`, 'utf8');
    await file.sync();
  } catch (error) {
    throw new AnchorWriteFailed(`anchor_file:${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  } finally {
    await file?.close();
  }
}

/** Through logger(1), so the system's syslog daemon (or journald) forwards it as configured. */
async function sendToSyslog(line: string, signal: AbortSignal): Promise<void> {
  try {
    await run('logger', ['--tag', 'hotline-audit-anchor', '--priority', 'auth.notice', '--', line], {
      signal: AbortSignal.any([signal, AbortSignal.timeout(writeTimeoutMs)]),
    });
  } catch {
    throw new AnchorWriteFailed('anchor_syslog');
  }
}

async function postAnchor(url: string, line: string, signal: AbortSignal): Promise<void> {
  let status: number;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: line,
      redirect: 'error',
      signal: AbortSignal.any([signal, AbortSignal.timeout(writeTimeoutMs)]),
    });
    status = response.status;
    await response.body?.cancel();
  } catch {
    throw new AnchorWriteFailed('anchor_http:unreachable');
  }
  if (status < 200 || status > 299) throw new AnchorWriteFailed(`anchor_http:${status}`);
}
