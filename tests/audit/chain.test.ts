import { createHash, createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditActions } from '../../src/audit/actions.ts';
import { canonicalJson, type JsonValue } from '../../src/audit/canonical-json.ts';
import { auditKey, genesisHash, userActor } from '../../src/audit/chain.ts';
import { type AuditEventInput, auditedTransaction, recordAuditEvent } from '../../src/audit/record.ts';
import { type ChainHead, verifyAuditChain } from '../../src/audit/verify.ts';
import { deriveKey } from '../../src/crypto/seal.ts';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { testConfig } from '../support/config.ts';
import { createTestDatabase, type Row, rows } from '../support/db.ts';

const key = auditKey(testConfig());

function withEvents(n: number): DatabaseHandle {
  const handle = createTestDatabase();
  auditedTransaction(handle.db, (tx) => {
    for (let i = 0; i < n; i++) {
      recordAuditEvent(tx, key, {
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

/** The hashed text of a stored row, as the chain defines it. */
const bodyOf = (r: Row) =>
  canonicalJson({
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    details: JSON.parse(r.details),
  });

/**
 * What a forger with write access to the database does: rewrite every row from `fromSeq` on, with
 * each link and hash recomputed by `hash(prevHash, body)`.
 */
function rechain(handle: DatabaseHandle, fromSeq: number, hash: (prevHash: string, body: string) => string) {
  const update = handle.sqlite.prepare('update audit_events set prev_hash = ?, hash = ? where seq = ?');
  let prevHash =
    fromSeq === 1 ? genesisHash : rows(handle, 'select hash from audit_events where seq = ?', fromSeq - 1)[0]?.hash;
  for (const r of rows(handle, 'select * from audit_events where seq >= ? order by seq', fromSeq)) {
    const next = hash(prevHash, bodyOf(r));
    update.run(prevHash, next, r.seq);
    prevHash = next;
  }
}

const head = (handle: DatabaseHandle) => {
  const verdict = verifyAuditChain(handle.db, key);
  if (!verdict.ok || !verdict.head) throw new Error('expected a sound, non-empty chain');
  return verdict.head;
};

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
  it('chains each event to the previous one by HMAC-SHA-256 under the audit key over prevHash + canonical JSON', () => {
    const config = testConfig();
    expect(auditKey(config).equals(deriveKey(config.secretKey, 'audit'))).toBe(true);
    const handle = withEvents(3);
    const stored = rows(handle, 'select * from audit_events order by seq');
    expect(stored.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(stored[0]?.prev_hash).toBe(genesisHash);
    for (const [i, r] of stored.entries()) {
      if (i > 0) expect(r.prev_hash).toBe(stored[i - 1]?.hash);
      expect(r.hash).toBe(createHmac('sha256', key).update(r.prev_hash).update(bodyOf(r)).digest('hex'));
    }
  });

  it('is part of the caller transaction: a failed change leaves no event', () => {
    const handle = createTestDatabase();
    expect(() =>
      auditedTransaction(handle.db, (tx) => {
        recordAuditEvent(tx, key, { at: 1, actor: 'system', action: 'user.create', objectType: 'user', objectId: 1 });
        throw new Error('the change failed');
      }),
    ).toThrow('the change failed');
    expect(rows(handle, 'select * from audit_events')).toHaveLength(0);
  });

  it('refuses an action outside the closed list', () => {
    const handle = createTestDatabase();
    const event = { at: 1, actor: 'system', action: 'user.delete_everything', objectType: 'user' };
    expect(() =>
      auditedTransaction(handle.db, (tx) => recordAuditEvent(tx, key, event as unknown as AuditEventInput)),
    ).toThrow(/unknown audit action/);
  });
});

describe('verifyAuditChain', () => {
  it('passes an untouched chain and an empty one, naming the head', () => {
    const handle = withEvents(7);
    const last = rows(handle, 'select seq, hash from audit_events order by seq desc limit 1')[0];
    expect(verifyAuditChain(handle.db, key)).toEqual({ ok: true, events: 7, head: last });
    expect(verifyAuditChain(createTestDatabase().db, key)).toEqual({ ok: true, events: 0, head: null });
  });

  it('walks a chain longer than one read batch', () => {
    expect(verifyAuditChain(withEvents(2_345).db, key)).toMatchObject({ ok: true, events: 2_345 });
  });

  it('fails every event under another key', () => {
    expect(verifyAuditChain(withEvents(3).db, randomBytes(32))).toEqual({
      ok: false,
      events: 0,
      brokenAt: 1,
      reason: 'hash',
    });
  });

  it.each([
    ['details', `update audit_events set details = '{"n":3,"note":"y"}' where seq = 4`],
    ['actor', `update audit_events set actor = 'user:999' where seq = 4`],
    ['time', 'update audit_events set at = at + 1 where seq = 4'],
    ['action', `update audit_events set action = 'user.enable' where seq = 4`],
  ])('names the first broken event after an edit of its %s', (_field, edit) => {
    const handle = withEvents(6);
    handle.sqlite.exec(edit);
    expect(verifyAuditChain(handle.db, key)).toEqual({ ok: false, events: 3, brokenAt: 4, reason: 'hash' });
  });

  it('detects an edit whose forger recomputed every later hash and link without the key', () => {
    const handle = withEvents(6);
    handle.sqlite.exec(`update audit_events set details = '{"n":3,"note":"forged"}' where seq = 4`);
    const sha256 = (prevHash: string, body: string) => createHash('sha256').update(prevHash).update(body).digest('hex');
    rechain(handle, 4, sha256);
    expect(verifyAuditChain(handle.db, key)).toEqual({ ok: false, events: 3, brokenAt: 4, reason: 'hash' });

    const guessedKey = randomBytes(32);
    rechain(handle, 4, (prevHash, body) =>
      createHmac('sha256', guessedKey).update(prevHash).update(body).digest('hex'),
    );
    expect(verifyAuditChain(handle.db, key)).toEqual({ ok: false, events: 3, brokenAt: 4, reason: 'hash' });

    // The same rewrite with the real key passes: the key, and only the key, is what stops it.
    rechain(handle, 4, (prevHash, body) => createHmac('sha256', key).update(prevHash).update(body).digest('hex'));
    expect(verifyAuditChain(handle.db, key)).toMatchObject({ ok: true, events: 6 });
  });

  it('detects a deleted row', () => {
    const handle = withEvents(6);
    handle.sqlite.exec('delete from audit_events where seq = 3');
    expect(verifyAuditChain(handle.db, key)).toEqual({ ok: false, events: 2, brokenAt: 4, reason: 'sequence' });
  });

  it('detects a deleted row even when the later rows are renumbered', () => {
    const handle = withEvents(6);
    handle.sqlite.exec('delete from audit_events where seq = 3; update audit_events set seq = seq - 1 where seq > 3');
    expect(verifyAuditChain(handle.db, key)).toEqual({ ok: false, events: 2, brokenAt: 3, reason: 'link' });
  });

  it('detects two rows swapped', () => {
    const handle = withEvents(6);
    handle.sqlite.exec(`update audit_events set seq = -1 where seq = 2;
      update audit_events set seq = 2 where seq = 5;
      update audit_events set seq = 5 where seq = -1`);
    expect(verifyAuditChain(handle.db, key)).toMatchObject({ ok: false, events: 1, brokenAt: 2 });
  });

  it.each([0, -7])('refuses a row numbered %i, which the listing would show', (seq) => {
    const handle = withEvents(3);
    handle.sqlite.exec(`insert into audit_events select ${seq}, at, actor, action, object_type, object_id, details,
      prev_hash, '${'e'.repeat(64)}' from audit_events where seq = 1`);
    expect(verifyAuditChain(handle.db, key)).toEqual({ ok: false, events: 0, brokenAt: seq, reason: 'sequence' });
  });

  it('refuses a chain that does not start at 1', () => {
    const handle = withEvents(3);
    handle.sqlite.exec('update audit_events set seq = seq + 10');
    expect(verifyAuditChain(handle.db, key)).toEqual({ ok: false, events: 0, brokenAt: 11, reason: 'sequence' });
  });

  it.each([
    ['not JSON', 'not json'],
    ['not an object', '[1]'],
  ])('refuses details that are %s', (_case, details) => {
    const handle = withEvents(3);
    handle.sqlite.prepare('update audit_events set details = ? where seq = 2').run(details);
    expect(verifyAuditChain(handle.db, key)).toEqual({ ok: false, events: 1, brokenAt: 2, reason: 'details' });
  });

  // Each spelling parses to the original details, so the keyed hash still matches: only the rule
  // that the stored text is exactly the canonical JSON tells what a raw reader sees from what was hashed.
  it.each([
    ['keys out of order', '{"note":"x","n":1}'],
    ['whitespace', '{"n": 1,"note":"x"}'],
    ['another spelling of a number', '{"n":1.0,"note":"x"}'],
    ['a duplicate key', '{"n":0,"n":1,"note":"x"}'],
  ])('refuses details with %s, though they hash alike', (_case, details) => {
    const handle = withEvents(3);
    handle.sqlite.prepare('update audit_events set details = ? where seq = 2').run(details);
    expect(verifyAuditChain(handle.db, key)).toEqual({ ok: false, events: 1, brokenAt: 2, reason: 'details' });
  });

  it('catches cut-off newest rows against a head kept elsewhere', () => {
    const handle = withEvents(6);
    const anchored = head(handle);
    const older = rows(handle, 'select seq, hash from audit_events where seq = 3')[0] as { seq: number; hash: string };
    expect(verifyAuditChain(handle.db, key, [anchored])).toMatchObject({ ok: true, events: 6 });
    expect(verifyAuditChain(handle.db, key, [older])).toMatchObject({ ok: true, events: 6 });

    handle.sqlite.exec('delete from audit_events where seq >= 5');
    expect(verifyAuditChain(handle.db, key)).toMatchObject({ ok: true, events: 4 });
    expect(verifyAuditChain(handle.db, key, [anchored])).toEqual({
      ok: false,
      events: 4,
      brokenAt: 6,
      reason: 'anchor',
    });
    expect(verifyAuditChain(handle.db, key, [older])).toMatchObject({ ok: true, events: 4 });
  });

  it('checks every anchor: the first one the chain fails is named', () => {
    const handle = withEvents(8);
    const at = (seq: number) => rows(handle, 'select seq, hash from audit_events where seq = ?', seq)[0] as ChainHead;
    const anchors = [at(2), at(5), at(8)];
    expect(verifyAuditChain(handle.db, key, anchors)).toMatchObject({ ok: true, events: 8 });
    expect(verifyAuditChain(handle.db, key, [...anchors, { seq: 5, hash: 'f'.repeat(64) }])).toEqual({
      ok: false,
      events: 4,
      brokenAt: 5,
      reason: 'anchor',
    });
    handle.sqlite.exec('delete from audit_events where seq >= 6');
    expect(verifyAuditChain(handle.db, key, [at(2), { seq: 9, hash: 'a'.repeat(64) }, ...anchors])).toEqual({
      ok: false,
      events: 5,
      brokenAt: 8,
      reason: 'anchor',
    });
  });

  it('catches an anchored event replaced by another with the same number', () => {
    const handle = withEvents(6);
    const anchored = head(handle);
    handle.sqlite.exec('delete from audit_events where seq = 6');
    auditedTransaction(handle.db, (tx) =>
      recordAuditEvent(tx, key, { at: 9_999, actor: 'system', action: 'user.create', objectType: 'user' }),
    );
    expect(verifyAuditChain(handle.db, key, [anchored])).toEqual({
      ok: false,
      events: 5,
      brokenAt: 6,
      reason: 'anchor',
    });
  });
});
