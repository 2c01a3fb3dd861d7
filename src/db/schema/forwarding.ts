import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { languages } from '../../http/i18n.ts';
import { items } from './intake.ts';
import { assessments } from './review.ts';

/** Who receives forwards: the police, a partner hotline (by country), a hosting provider (by network), INTERPOL's ICSE. */
export const destinationKinds = ['police', 'partner_hotline', 'hosting_provider', 'interpol'] as const;
export type DestinationKind = (typeof destinationKinds)[number];

/** How sure we are of a directory row (as the partner list records it). */
export const directoryConfidences = ['high', 'medium', 'low'] as const;

/**
 * How a forward reaches its destination (src/forwarding/channels): a signed package in a drop folder,
 * an e-mail notice, an ICCAM-shaped record handed to a transport.
 */
export const channelNames = ['drop_folder', 'email', 'iccam'] as const;
export type ChannelName = (typeof channelNames)[number];

/** The directory of receivers, seeded from data/partners and edited by admins. */
export const destinations = sqliteTable(
  'destinations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** `police`, `interpol`, `partner:NL`, `provider:AS64500`: what routing and exports name. */
    key: text('key').notNull(),
    kind: text('kind', { enum: destinationKinds }).notNull(),
    country: text('country'),
    asn: integer('asn'),
    name: text('name').notNull(),
    /** Where forwards go (website, drop folder, abuse address); never a person's private data. */
    contact: text('contact'),
    /** A hosting provider's contact gets notices only once an admin approved it. */
    approved: integer('approved', { mode: 'boolean' }).notNull().default(false),
    source: text('source').notNull(),
    asOf: text('as_of'),
    confidence: text('confidence', { enum: directoryConfidences }),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** This destination's channel; null: the configured one for its kind (HOTLINE_PARTNER_CHANNEL, ...). */
    channel: text('channel', { enum: channelNames }),
    /** The language notices to it are written in; null: English. */
    language: text('language', { enum: languages }),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('destinations_key').on(t.key)],
);

export const forwardStates = ['pending', 'sent', 'acknowledged', 'removed', 'still_online', 'failed'] as const;
export type ForwardState = (typeof forwardStates)[number];

/** One item to one destination, created when its assessment is confirmed, followed until removed. */
export const forwards = sqliteTable(
  'forwards',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    assessmentId: integer('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    destinationId: integer('destination_id')
      .notNull()
      .references(() => destinations.id),
    state: text('state', { enum: forwardStates }).notNull(),
    /** The routing reasons (RouteReason[]) as JSON: why this destination. */
    reasons: text('reasons').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    sentAt: integer('sent_at'),
    acknowledgedAt: integer('acknowledged_at'),
    removedAt: integer('removed_at'),
    /** The receiver's own case or ticket number. */
    receiverReference: text('receiver_reference'),
    /** Delivery attempts that failed since the last success; the outbox shows the forward `failed` after a few. */
    deliveryAttempts: integer('delivery_attempts').notNull().default(0),
    /** The last failure's stable reason (`smtp:ECONNREFUSED`, `destination_not_approved`): never a message. */
    lastDeliveryError: text('last_delivery_error'),
    /** When the next attempt is due, while one is waiting. */
    nextDeliveryAt: integer('next_delivery_at'),
    /** When the last notice or reminder went out to a hosting provider. */
    lastNoticeAt: integer('last_notice_at'),
    reminders: integer('reminders').notNull().default(0),
  },
  (t) => [
    uniqueIndex('forwards_assessment_destination').on(t.assessmentId, t.destinationId),
    index('forwards_item').on(t.itemId),
    index('forwards_state').on(t.state),
    index('forwards_destination_created').on(t.destinationId, t.createdAt),
  ],
);
