import type { Writable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { type AuditActor, auditKey } from '../../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../../audit/record.ts';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { destinations } from '../../db/schema/forwarding.ts';
import { Invalid } from '../../errors.ts';
import type { SigningKey } from '../../key-files.ts';
import { type ExportFormat, exportFiles, exportFormats } from './export-files.ts';
import { countExportRows, exportRows, lastForwardId } from './export-rows.ts';
import { PackageInterrupted, writeSignedPackage } from './package.ts';

/**
 * `police`, `interpol` (ICSE, through the police: what went to the police confirmed `baseline`, with
 * media hashes, never descriptions) or `partner:CC`.
 */
export const exportTargetSchema = z.string().regex(/^(police|interpol|partner:[A-Z]{2})$/, 'error.export_target');

/** A date (`2026-01-01`, midnight UTC) or a full ISO time. */
export const exportSinceSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/, 'error.export_since')
  .transform((text) => Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text))
  .refine((ms) => Number.isFinite(ms), 'error.export_since');

/**
 * Which data files go in: `json` (report.json), `csv` (items.csv), `vics` (hashes.vics.json), one
 * or a comma-separated list; absent, all three. The manifest and its signature always go in.
 */
export const exportFormatSchema = z
  .string()
  .transform((text) => text.split(','))
  .pipe(z.array(z.enum(exportFormats, 'error.export_format')).min(1))
  .refine((formats) => new Set(formats).size === formats.length, 'error.export_format');

export interface ExportRequest {
  to: string;
  since: number;
  /** All three when absent. */
  format?: readonly ExportFormat[] | undefined;
}

export interface ExportDeps {
  db: Db;
  config: Pick<Config, 'hashKey' | 'forwarding'>;
  now: () => number;
  signingKey: SigningKey;
}

/** The destinations whose forwards a target receives; a partner must be in the directory and active. */
function destinationKeysOf(db: DbOrTx, to: string): string[] {
  if (to === 'police' || to === 'interpol') return ['police'];
  const partner = db
    .select({ key: destinations.key })
    .from(destinations)
    .where(and(eq(destinations.key, to), eq(destinations.active, true)))
    .get();
  if (!partner) throw new Invalid({ to: 'error.export_target' });
  return [partner.key];
}

/**
 * Writes the signed package of the forwards to `to` since `since` to `out`, then records the export
 * with the package's SHA-256 in the audit chain; an export cut off part way is audited too
 * (`complete: false`, with the bytes that went out and their SHA-256). Never a reporter's contact or receipt; their
 * descriptions only to the police, and only when configured.
 */
export async function writeExport(deps: ExportDeps, request: ExportRequest, out: Writable, actor: AuditActor) {
  const until = deps.now();
  if (request.since > until) throw new Invalid({ since: 'error.export_since' });
  const selection = {
    destinationKeys: destinationKeysOf(deps.db, request.to),
    since: request.since,
    until,
    lastForwardId: lastForwardId(deps.db),
    descriptions: request.to === 'police' && deps.config.forwarding.exportDescriptions,
    baselineMediaOnly: request.to === 'interpol',
  };
  const rows = () => exportRows(deps.db, selection);
  const header = {
    to: request.to,
    since: request.since,
    until,
    createdAt: until,
    homeCountry: deps.config.forwarding.rules.homeCountry,
    descriptions: selection.descriptions,
  };
  const formats = request.format ?? exportFormats;
  const files = exportFiles(header, rows, formats);
  const details = {
    to: request.to,
    since: new Date(request.since).toISOString(),
    until: new Date(until).toISOString(),
    descriptions: selection.descriptions,
    files: files.map((file) => file.path),
  };
  let sha256: string;
  try {
    ({ sha256 } = await writeSignedPackage(files, deps.signingKey, out, new Date(until)));
  } catch (error) {
    if (!(error instanceof PackageInterrupted)) throw error;
    // Part of the package may have reached the receiver (a download cut off): that is audited too.
    auditedTransaction(deps.db, (tx) =>
      recordAuditEvent(tx, auditKey(deps.config), {
        at: deps.now(),
        actor,
        action: 'export.create',
        objectType: 'export',
        objectId: error.sha256,
        details: { ...details, complete: false, bytesSent: error.bytes, sha256OfSent: error.sha256 },
      }),
    );
    throw error.cause;
  }
  return auditedTransaction(deps.db, (tx) => {
    const forwards = countExportRows(tx, selection);
    recordAuditEvent(tx, auditKey(deps.config), {
      at: deps.now(),
      actor,
      action: 'export.create',
      objectType: 'export',
      objectId: sha256,
      details: { ...details, complete: true, forwards, sha256 },
    });
    return { sha256, forwards };
  });
}
