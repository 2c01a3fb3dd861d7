import { Counter, Gauge, Registry } from 'prom-client';
import type { Db } from '../db/client.ts';
import { quantile, readMetrics } from './collect.ts';

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
  // A level read from the jobs table, not a count of failures (the queue keeps no such count):
  // a job that fails again stays one, and one that is retried and succeeds leaves it.
  new Gauge({
    name: 'hotline_jobs_with_error',
    help: 'Jobs whose last attempt failed (retrying or given up), by type and reason',
    labelNames: ['type', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of snapshot.jobFailures) this.set({ type: r.type, reason: r.reason }, r.n);
    },
  });
  // Read from the jobs table over a sliding day (true whichever process ran the jobs), so a window's
  // quantiles, not a cumulative histogram: rate() and histogram_quantile() do not apply.
  new Gauge({
    name: 'hotline_triage_last_day_duration_seconds',
    help: 'Triage jobs finished in the last day: quantiles of the seconds from due to done (waiting and work)',
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      this.reset();
      const sorted = [...snapshot.triageSeconds].sort((a, b) => a - b);
      if (sorted.length === 0) return;
      for (const q of [0.5, 0.9, 0.99, 1]) this.set({ quantile: String(q) }, quantile(sorted, q));
    },
  });
  new Gauge({
    name: 'hotline_triage_last_day_finished',
    help: 'Triage jobs finished in the last day (at most 10,000 are read)',
    registers: [registry],
    collect() {
      this.set(snapshot.triageSeconds.length);
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
