import { describe, expect, it } from 'vitest';
import { analystRoutes } from './analyst-routes.ts';
import { headerCases, publicCases, sumOf } from './budget.ts';
import { fuzzScale, runsOf } from './fuzz-kit.ts';

/** What the fuzz files of this directory run, counted from the tables they run from. */
describe('the fuzzing budget', () => {
  const analyst = Object.fromEntries(Object.entries(analystRoutes).map(([route, spec]) => [route, spec.cases]));
  const groups = { 'public inputs': publicCases, 'analyst routes': analyst, headers: headerCases };

  it('holds at least 10,000 cases of public inputs and analyst bodies at scale 1, and prints them all', () => {
    const lines = Object.entries(groups).flatMap(([group, cases]) => [
      `${group}: ${sumOf(cases)}`,
      ...Object.entries(cases).map(([name, n]) => `  ${n}\t${name}`),
    ]);
    const total = sumOf(publicCases) + sumOf(analyst) + sumOf(headerCases);
    const scaled = Object.values(groups).reduce(
      (sum, cases) => sum + Object.values(cases).reduce((s, n) => s + runsOf(n), 0),
      0,
    );
    console.log(`${lines.join('\n')}\ntotal at scale 1: ${total}; at HOTLINE_FUZZ_SCALE=${fuzzScale}: ${scaled}`);
    expect(sumOf(publicCases) + sumOf(analyst)).toBeGreaterThanOrEqual(10_000);
    // The analyst side is not a token next to the public one.
    expect(sumOf(analyst)).toBeGreaterThanOrEqual(5_000);
  });
});
