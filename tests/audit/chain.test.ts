import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditActions } from '../../src/audit/actions.ts';
import { canonicalJson, type JsonValue } from '../../src/audit/canonical-json.ts';
import { genesisHash, userActor } from '../../src/audit/chain.ts';
import { type AuditEventInput, recordAuditEvent } from '../../src/audit/record.ts';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { createTestDatabase, rows } from '../support/db.ts';

function withEvents(n: number): DatabaseHandle {
  const handle = createTestDatabase();
  handle.db.transaction((tx) => {
    for (let i = 0; i < n; i++) {
      recordAuditEvent(tx, {
        at: 1_000 + i,
        actor: i % 2 ? 'system' : userActor(i),
        action: auditActions[i % auditActions.length] ?? 'user.create',
        objectType: 'user',
        objectId: i,
        details: { n: i, note: 'x' },
      });
    }
  });
  return handle;
}

describe('canonicalJson', () => {
  it('sorts keys at every level and adds no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives the same text whatever the key order, and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean())), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        const text = canonicalJson(object);
        return text === canonicalJson(reversed) && canonicalJson(JSON.parse(text) as JsonValue) === text;
      }),
    );
  });

  it('refuses non-finite numbers', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });
});

describe('recordAuditEvent', () => {
  it('chains each event to the previous one by SHA-256 over prevHash + canonical JSON', () => {
    const handle = withEvents(3);
    const stored = rows(handle, 'select * from audit_events order by seq');
    expect(stored.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(stored[0]?.prev_hash).toBe(genesisHash);
    for (const [i, r] of stored.entries()) {
      if (i > 0) expect(r.prev_hash).toBe(stored[i - 1]?.hash);
      const body = canonicalJson({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        objectType: r.object_type,
        objectId: r.object_id,
        details: JSON.parse(r.details),
      });
      expect(r.hash).toBe(createHash('sha256').update(r.prev_hash).update(body).digest('hex'));
    }
  });

  it('is part of the caller transaction: a failed change leaves no event', () => {
    const handle = createTestDatabase();
    expect(() =>
      handle.db.transaction((tx) => {
        recordAuditEvent(tx, { at: 1, actor: 'system', action: 'user.create', objectType: 'user', objectId: 1 });
        throw new Error('the change failed');
      }),
    ).toThrow('the change failed');
    expect(rows(handle, 'select * from audit_events')).toHaveLength(0);
  });

  it('refuses an action outside the closed list', () => {
    const handle = createTestDatabase();
    const event = { at: 1, actor: 'system', action: 'user.delete_everything', objectType: 'user' };
    expect(() => handle.db.transaction((tx) => recordAuditEvent(tx, event as unknown as AuditEventInput))).toThrow(
      /unknown audit action/,
    );
  });
});

describe('verifyAuditChain', () => {
  it('passes an untouched chain and an empty one', () => {
    expect(verifyAuditChain(withEvents(7).db)).toEqual({ ok: true, events: 7 });
    expect(verifyAuditChain(createTestDatabase().db)).toEqual({ ok: true, events: 0 });
  });

  it('walks a chain longer than one read batch', () => {
    expect(verifyAuditChain(withEvents(2_345).db)).toEqual({ ok: true, events: 2_345 });
  });

  it.each([
    ['details', `update audit_events set details = '{"n":3,"note":"y"}' where seq = 4`],
    ['actor', `update audit_events set actor = 'user:999' where seq = 4`],
    ['time', 'update audit_events set at = at + 1 where seq = 4'],
    ['action', `update audit_events set action = 'user.enable' where seq = 4`],
  ])('names the first broken event after an edit of its %s', (_field, edit) => {
    const handle = withEvents(6);
    handle.sqlite.exec(edit);
    expect(verifyAuditChain(handle.db)).toEqual({ ok: false, events: 3, brokenAt: 4, reason: 'hash' });
  });

  it('detects an edit that recomputes the row hash: the next link breaks', () => {
    const handle = withEvents(6);
    handle.sqlite.exec(`update audit_events set hash = '${'a'.repeat(64)}' where seq = 4`);
    const verdict = verifyAuditChain(handle.db);
    expect(verdict).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it('detects a deleted row', () => {
    const handle = withEvents(6);
    handle.sqlite.exec('delete from audit_events where seq = 3');
    expect(verifyAuditChain(handle.db)).toEqual({ ok: false, events: 2, brokenAt: 4, reason: 'sequence' });
  });

  it('detects a deleted row even when the later rows are renumbered', () => {
    const handle = withEvents(6);
    handle.sqlite.exec('delete from audit_events where seq = 3; update audit_events set seq = seq - 1 where seq > 3');
    expect(verifyAuditChain(handle.db)).toEqual({ ok: false, events: 2, brokenAt: 3, reason: 'link' });
  });

  it('detects two rows swapped', () => {
    const handle = withEvents(6);
    handle.sqlite.exec(`update audit_events set seq = -1 where seq = 2;
      update audit_events set seq = 2 where seq = 5;
      update audit_events set seq = 5 where seq = -1`);
    expect(verifyAuditChain(handle.db)).toMatchObject({ ok: false, events: 1, brokenAt: 2 });
  });

  it('detects details that are not a JSON object', () => {
    const handle = withEvents(3);
    handle.sqlite.exec(`update audit_events set details = 'not json' where seq = 2`);
    expect(verifyAuditChain(handle.db)).toEqual({ ok: false, events: 1, brokenAt: 2, reason: 'details' });
  });
});
