import { and, eq, gte, lt } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { type DestinationKind, destinationKinds, destinations, forwards } from '../db/schema/forwarding.ts';
import { items } from '../db/schema/intake.ts';
import { countBy, median } from './figures.ts';
import type { Period } from './period.ts';

const dayMs = 86_400_000;

/** One forward made in the period, with what the figures need of its destination and item. */
export interface ForwardRow {
  itemId: number;
  kind: DestinationKind;
  /** The receiver's country (a partner hotline's, a provider's); null for the police and INTERPOL. */
  country: string | null;
  firstReportedAt: number;
  /** Set while the forward is `removed`; a forward reopened (`still_online`) has none. */
  removedAt: number | null;
}

export interface ForwardFigures {
  forwards: {
    total: number;
    /** Every destination type, zero or not. */
    byDestinationType: Record<DestinationKind, number>;
    /** The receiver's country; `none` for receivers without one (the police, INTERPOL). */
    byCountry: Record<string, number>;
  };
  /**
   * Per forwarded item (an item sent to the police and a partner is removed once): from its first
   * report to the removal the re-check found, as INHOPE reports notice and takedown times. The
   * shares are of the items removed (null when none was); `items` is how many were forwarded.
   */
  timeToRemoval: {
    items: number;
    removed: number;
    medianMs: number | null;
    within3Days: number | null;
    within7Days: number | null;
  };
}

const noCountry = 'none';

/** The figures of the forwards made in a period, from their rows: pure, so it is tested without a database. */
export function buildForwardFigures(rows: readonly ForwardRow[]): ForwardFigures {
  // An item's removal is the earliest of its forwards' (the re-check marks them all at once).
  const removedAt = new Map<number, number | null>();
  const reportedAt = new Map<number, number>();
  for (const row of rows) {
    reportedAt.set(row.itemId, row.firstReportedAt);
    const known = removedAt.get(row.itemId) ?? null;
    const mine = row.removedAt;
    removedAt.set(row.itemId, known === null ? mine : mine === null ? known : Math.min(known, mine));
  }
  const waits: number[] = [];
  for (const [itemId, at] of removedAt) {
    if (at !== null) waits.push(Math.max(0, at - (reportedAt.get(itemId) ?? at)));
  }
  const shareWithin = (days: number) =>
    waits.length === 0 ? null : waits.filter((ms) => ms <= days * dayMs).length / waits.length;
  return {
    forwards: {
      total: rows.length,
      byDestinationType: countBy(
        rows.map((r) => r.kind),
        destinationKinds,
      ) as Record<DestinationKind, number>,
      byCountry: countBy(rows.map((r) => r.country ?? noCountry)),
    },
    timeToRemoval: {
      items: removedAt.size,
      removed: waits.length,
      medianMs: median(waits),
      within3Days: shareWithin(3),
      within7Days: shareWithin(7),
    },
  };
}

/** The forwards created in `period`, with their destination and item: tables a retention purge leaves whole. */
export function forwardRows(db: DbOrTx, period: Period): ForwardRow[] {
  return db
    .select({
      itemId: forwards.itemId,
      kind: destinations.kind,
      country: destinations.country,
      firstReportedAt: items.firstReportedAt,
      removedAt: forwards.removedAt,
    })
    .from(forwards)
    .innerJoin(destinations, eq(destinations.id, forwards.destinationId))
    .innerJoin(items, eq(items.id, forwards.itemId))
    .where(and(gte(forwards.createdAt, period.start), lt(forwards.createdAt, period.end)))
    .all();
}

export function forwardFigures(db: DbOrTx, period: Period): ForwardFigures {
  return buildForwardFigures(forwardRows(db, period));
}
