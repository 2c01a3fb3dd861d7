import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/client.ts';
import { readMetrics } from './collect.ts';

export interface Metrics {
  contentType: string;
  /** Reads one snapshot from the database and renders every metric from it. */
  scrape(): Promise<string>;
}

/**
 * The Prometheus metrics of /metrics, in a registry of their own (not prom-client's global one):
 * each scrape reads one snapshot from the database (see collect.ts) and every metric shows it.
 */
export function createMetrics(db: Db, now: () => number): Metrics {
  const registry = new Registry();
  let snapshot = readMetrics(db, now());

  new Counter({
    name: 'hotline_reports_received_total',
    help: 'Reports received since the database was created',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(snapshot.reportsReceived);
    },
  });
  new Gauge({
    name: 'hotline_items',
    help: 'Items by triage state (the queue depths)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of snapshot.itemsByState) this.set({ state: r.state }, r.n);
    },
  });
  new Gauge({
    name: 'hotline_fetch_outcomes',
    help: 'Fetched items by resulting state and reason',
    labelNames: ['state', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of snapshot.fetchOutcomes) this.set({ state: r.state, reason: r.reason }, r.n);
    },
  });
  new Gauge({
    name: 'hotline_jobs',
    help: 'Jobs by type and status',
    labelNames: ['type', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of snapshot.jobsByStatus) this.set({ type: r.type, status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'hotline_job_failures',
    help: 'Jobs whose last attempt failed, by type and reason',
    labelNames: ['type', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of snapshot.jobFailures) this.set({ type: r.type, reason: r.reason }, r.n);
    },
  });
  new Histogram({
    name: 'hotline_triage_duration_seconds',
    help: 'Triage jobs finished in the last day: seconds from due to done (waiting and work)',
    buckets: [1, 5, 15, 30, 60, 120, 300, 900, 3600],
    registers: [registry],
    collect() {
      this.reset();
      for (const seconds of snapshot.triageSeconds) this.observe(seconds);
    },
  });
  new Counter({
    name: 'hotline_sign_in_failures_total',
    help: 'Failed analyst sign-ins',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(snapshot.signInFailures);
    },
  });
  return {
    contentType: registry.contentType,
    scrape() {
      snapshot = readMetrics(db, now());
      return registry.metrics();
    },
  };
}
