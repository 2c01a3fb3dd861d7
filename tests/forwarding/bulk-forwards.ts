import { createHash } from 'node:crypto';
import type { DatabaseHandle } from '../../src/db/client.ts';

const hex = (algorithm: string, seed: string) => createHash(algorithm).update(seed).digest('hex');

/**
 * `count` items with one medium each, a confirmed `national` assessment and a pending forward to
 * the police, written straight to SQLite in one transaction: many rows fast, for exports that must
 * be large (the memory benchmark, a download cut off mid-stream). Hashes only, from the URLs.
 */
export function fillPoliceForwards(sqlite: DatabaseHandle['sqlite'], count: number, now: number): void {
  const police = (sqlite.prepare("select id from destinations where key = 'police'").get() as { id: number }).id;
  const item = sqlite.prepare(
    `insert into items (dedup_key, canonical_url, url, host, state, first_reported_at, last_reported_at, report_count, hosting_country, hosting_asn)
     values (?, ?, ?, ?, 'ready', ?, ?, 1, 'BE', 64500)`,
  );
  const medium = sqlite.prepare(
    `insert into item_media (item_id, position, url, media_type, size, sha256, sha1, md5, fetched_at, hosting_country)
     values (?, 0, ?, 'image/jpeg', 1000, ?, ?, ?, ?, 'BE')`,
  );
  const assessment = sqlite.prepare(
    `insert into assessments (item_id, source, outcome, content, status, created_at, decided_at)
     values (?, 'analyst', 'national', 'real_abuse', 'confirmed', ?, ?)`,
  );
  const forward = sqlite.prepare(
    `insert into forwards (item_id, assessment_id, destination_id, state, reasons, created_at, updated_at)
     values (?, ?, ?, 'pending', '[{"code":"hosted_home","what":"page","country":"BE"}]', ?, ?)`,
  );
  sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const url = `https://site${i % 5000}.example.test/page/${i}`;
      const itemId = Number(item.run(url, url, url, `site${i % 5000}.example.test`, now, now).lastInsertRowid);
      medium.run(itemId, `${url}.jpg`, hex('sha256', url), hex('sha1', url), hex('md5', url), now);
      const assessmentId = Number(assessment.run(itemId, now, now).lastInsertRowid);
      forward.run(itemId, assessmentId, police, now, now);
    }
  })();
}
