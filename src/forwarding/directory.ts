import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { auditKey, userActor } from '../audit/chain.ts';
import { auditedTransaction, recordAuditEvent } from '../audit/record.ts';
import type { Config } from '../config.ts';
import type { Db, DbOrTx } from '../db/client.ts';
import { channelNames, destinations, directoryConfidences } from '../db/schema/forwarding.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import { languages } from '../http/i18n.ts';
import { type Destination, type Directory, destinationKey } from './routing.ts';

const partnerSeedPath = fileURLToPath(new URL('../../data/partners/v1.json', import.meta.url));

const partnerSeedSchema = z.object({
  version: z.literal(1),
  partners: z.array(
    z.object({
      country: z.string().regex(/^[A-Z]{2}$/),
      hotline: z.string(),
      organisation: z.string(),
      website: z.string().optional(),
      source: z.string(),
      asOf: z.string(),
      confidence: z.enum(directoryConfidences),
      primary: z.boolean().optional(),
    }),
  ),
});

type NewDestination = typeof destinations.$inferInsert;

/** The receivers every deployment has: the police and INTERPOL's database, reached through them. */
const fixedDestinations: Omit<NewDestination, 'updatedAt'>[] = [
  {
    key: 'police',
    kind: 'police',
    name: 'Federal Police, Child Abuse team',
    source: 'cooperation protocol',
    confidence: 'high',
  },
  {
    key: 'interpol',
    kind: 'interpol',
    name: 'INTERPOL ICSE database (via the police)',
    source: 'cooperation protocol',
    confidence: 'high',
  },
];

/**
 * The partner hotlines of the seed file: the primary row per country. The home country's row (us)
 * is listed like the others; routing sends home content to the police before it looks at partners.
 */
export function partnerSeedRows(): Omit<NewDestination, 'updatedAt'>[] {
  const seed = partnerSeedSchema.parse(JSON.parse(readFileSync(partnerSeedPath, 'utf8')));
  return seed.partners
    .filter((p) => p.primary)
    .map((p) => ({
      key: destinationKey({ kind: 'partner_hotline', country: p.country }),
      kind: 'partner_hotline' as const,
      country: p.country,
      name: `${p.hotline} (${p.organisation})`,
      contact: p.website ?? null,
      source: p.source,
      asOf: p.asOf,
      confidence: p.confidence,
    }));
}

/**
 * Adds the seed rows the directory lacks. Rows already there are left alone: an admin's edits win
 * over the shipped file, and running it at every start changes nothing twice.
 */
export function seedDestinations(db: Db, now: number): number {
  return db.transaction((tx) => {
    let added = 0;
    for (const row of [...fixedDestinations, ...partnerSeedRows()]) {
      added += tx
        .insert(destinations)
        .values({ ...row, updatedAt: now })
        .onConflictDoNothing()
        .run().changes;
    }
    return added;
  });
}

/** What routing needs to know of the directory: active partner countries (home excluded) and approved providers. */
export function routingDirectory(db: DbOrTx, homeCountry: string): Directory {
  const active = db.select().from(destinations).where(eq(destinations.active, true)).all();
  return {
    partnerCountries: new Set(
      active.flatMap((d) =>
        d.kind === 'partner_hotline' && d.country && d.country !== homeCountry ? [d.country] : [],
      ),
    ),
    approvedProviders: new Set(
      active.flatMap((d) => (d.kind === 'hosting_provider' && d.approved && d.asn !== null ? [d.asn] : [])),
    ),
  };
}

/** The directory row of a routed destination; routing only names rows the directory has. */
export function destinationRow(db: DbOrTx, destination: Destination) {
  const found = db
    .select()
    .from(destinations)
    .where(eq(destinations.key, destinationKey(destination)))
    .get();
  if (!found) throw new NotFound('destination_not_found');
  return found;
}

export function listDestinations(db: DbOrTx, kind?: (typeof destinations.$inferSelect)['kind']) {
  return db
    .select()
    .from(destinations)
    .where(kind ? eq(destinations.kind, kind) : undefined)
    .orderBy(asc(destinations.kind), asc(destinations.key))
    .all();
}

const destinationName = z.string({ error: 'error.destination.name' }).trim().min(1).max(200);
const destinationSource = z.string({ error: 'error.destination.source' }).trim().min(1).max(500);
const countryCode = z.string({ error: 'error.destination.country' }).regex(/^[A-Z]{2}$/);
const abuseAddress = z
  .string({ error: 'error.destination.contact_email' })
  .trim()
  .max(254)
  .pipe(z.email({ error: 'error.destination.contact_email' }));
/** Where forwards to a partner or the police go: a website, a drop folder, an address. */
const forwardContact = z.string({ error: 'error.destination.contact' }).trim().min(1).max(500);
/** When the source said so: a date or a month as the partner list records it (`2023-03`, `undated`). */
const asOfText = z.string({ error: 'error.destination.as_of' }).trim().max(20).nullable();

/**
 * A hosting provider's abuse desk, added by an admin. Routing names a provider by the network its
 * content is served from, so the ASN is what it is found by (README: why not the organisation); the
 * organisation is its name. Not approved unless said so: no notice goes to a contact nobody checked.
 */
export const providerDestinationSchema = z.strictObject({
  kind: z.literal('hosting_provider'),
  asn: z.number({ error: 'error.destination.asn' }).int().min(1).max(4_294_967_295),
  /** The organisation that runs the network. */
  name: destinationName,
  /** The abuse contact notices go to. */
  contact: abuseAddress,
  country: countryCode.nullable().default(null),
  /** The language of notices; null: English. */
  language: z.enum(languages).nullable().default(null),
  approved: z.boolean().default(false),
  source: destinationSource,
  asOf: asOfText.default(null),
  confidence: z.enum(directoryConfidences).nullable().default(null),
});

/**
 * A partner hotline, added by an admin where the shipped list has none. One per country, as the
 * seed keeps only each country's primary row: routing sends a country's content to one hotline.
 */
export const partnerDestinationSchema = z.strictObject({
  kind: z.literal('partner_hotline'),
  country: countryCode,
  name: destinationName,
  contact: forwardContact,
  /** Null: the configured channel for partners (HOTLINE_PARTNER_CHANNEL). */
  channel: z.enum(channelNames).nullable().default(null),
  language: z.enum(languages).nullable().default(null),
  source: destinationSource,
  asOf: asOfText.default(null),
  confidence: z.enum(directoryConfidences).nullable().default(null),
});

/** What an admin may add: a provider's abuse desk or a partner hotline (the police and INTERPOL are fixed). */
export const newDestinationSchema = z.discriminatedUnion(
  'kind',
  [providerDestinationSchema, partnerDestinationSchema],
  {
    error: 'error.destination.kind',
  },
);
export type NewDestinationInput = z.infer<typeof newDestinationSchema>;

const keyOf = (input: NewDestinationInput) =>
  input.kind === 'hosting_provider'
    ? destinationKey({ kind: 'hosting_provider', asn: input.asn })
    : destinationKey({ kind: 'partner_hotline', country: input.country });

/**
 * An admin adds a directory row, audited with what was set. Its key is unique: one row per network,
 * one partner hotline per country (edit the existing row instead).
 */
export function createDestination(
  deps: { db: Db; config: Config; now: () => number },
  userId: number,
  input: NewDestinationInput,
) {
  const now = deps.now();
  const key = keyOf(input);
  return auditedTransaction(deps.db, (tx) => {
    const created = tx
      .insert(destinations)
      .values({ ...input, key, updatedAt: now })
      .onConflictDoNothing()
      .returning()
      .get();
    if (!created) throw new Conflict(input.kind === 'hosting_provider' ? 'destination_exists' : 'partner_exists');
    recordAuditEvent(tx, auditKey(deps.config), {
      at: now,
      actor: userActor(userId),
      action: 'destination.create',
      objectType: 'destination',
      objectId: created.id,
      details: { key, ...input },
    });
    return created;
  });
}

export const destinationPatchSchema = z
  .strictObject({
    name: destinationName,
    contact: forwardContact.nullable(),
    approved: z.boolean(),
    active: z.boolean(),
    source: destinationSource,
    asOf: asOfText,
    confidence: z.enum(directoryConfidences).nullable(),
    /** Null: the configured channel of the destination's kind. */
    channel: z.enum(channelNames).nullable(),
    /** The language of notices; null: English. */
    language: z.enum(languages).nullable(),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { path: ['body'] });
export type DestinationPatch = z.infer<typeof destinationPatchSchema>;

/** An admin edits a directory row; the audit keeps which fields changed, from what, to what. */
export function updateDestination(
  deps: { db: Db; config: Config; now: () => number },
  userId: number,
  id: number,
  patch: DestinationPatch,
) {
  const now = deps.now();
  return auditedTransaction(deps.db, (tx) => {
    const before = tx.select().from(destinations).where(eq(destinations.id, id)).get();
    if (!before) throw new NotFound('destination_not_found');
    // Notices to a provider are e-mails: its contact stays an address.
    if (
      before.kind === 'hosting_provider' &&
      patch.contact !== undefined &&
      !abuseAddress.safeParse(patch.contact).success
    ) {
      throw new Invalid({ contact: 'error.destination.contact_email' });
    }
    const after = tx
      .update(destinations)
      .set({ ...patch, updatedAt: now })
      .where(eq(destinations.id, id))
      .returning()
      .get();
    const changed = Object.fromEntries(
      Object.keys(patch).map((field) => {
        const name = field as keyof DestinationPatch;
        return [field, { from: before[name] ?? null, to: after[name] ?? null }];
      }),
    );
    recordAuditEvent(tx, auditKey(deps.config), {
      at: now,
      actor: userActor(userId),
      action: 'destination.update',
      objectType: 'destination',
      objectId: id,
      details: { key: before.key, changed },
    });
    return after;
  });
}
