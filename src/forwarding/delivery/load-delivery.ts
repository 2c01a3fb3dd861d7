import { eq } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { DbOrTx } from '../../db/client.ts';
import { destinations, forwards } from '../../db/schema/forwarding.ts';
import type { DestinationRow } from '../channels/channel.ts';
import { type ExportRow, exportRows } from '../export/export-rows.ts';

export interface ForwardToDeliver {
  forward: typeof forwards.$inferSelect;
  destination: DestinationRow;
  /** The forward as exports read it; descriptions only when `descriptions`. */
  row: ExportRow;
  descriptions: boolean;
}

/**
 * A forward with its destination and its export row (item, confirmed assessment, media hashes), read
 * the way exports read it so that a delivered package and an export say the same. Null when the
 * forward no longer exists (its item was deleted).
 */
export function loadForwardToDeliver(
  db: DbOrTx,
  config: Pick<Config, 'forwarding'>,
  forwardId: number,
): ForwardToDeliver | null {
  const found = db
    .select({ forward: forwards, destination: destinations })
    .from(forwards)
    .innerJoin(destinations, eq(destinations.id, forwards.destinationId))
    .where(eq(forwards.id, forwardId))
    .get();
  if (!found) return null;
  const { forward, destination } = found;
  // The reporters' descriptions go to the police only, and only when configured (as in exports).
  const descriptions = destination.kind === 'police' && config.forwarding.exportDescriptions;
  const selection = {
    destinationKeys: [destination.key],
    since: forward.createdAt,
    until: forward.createdAt,
    lastForwardId: forward.id,
    descriptions,
  };
  for (const row of exportRows(db, selection)) {
    if (row.forwardId === forward.id) return { forward, destination, row, descriptions };
  }
  return null;
}
