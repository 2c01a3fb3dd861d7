/**
 * The cases each fuzz property runs at HOTLINE_FUZZ_SCALE=1, in one place so that
 * tests/fuzz/budget.test.ts can count them (the analyst routes keep theirs beside their
 * arbitraries, in ./analyst-routes.ts).
 */
export const publicCases = {
  'POST /api/v1/reports': 4000,
  'POST /report': 1500,
  'POST /api/v1/status': 2000,
  'POST /status': 1500,
  'POST /api/v1/session': 1000,
  'POST / and GET /, /status, /next': 500,
} as const;

/** The headers the app reads (./headers.test.ts). */
export const headerCases = {
  'Accept-Language (pages and API answers)': 400,
  'Origin, Sec-Fetch-Site, X-CSRF-Token, X-Forwarded-Proto (state changes)': 600,
  'Authorization (metrics bearer) and Cookie (GET /metrics)': 300,
  'Cookie (GET /api/v1/session and the public form)': 300,
  'X-Forwarded-For (throttle keys, with HOTLINE_TRUST_PROXY)': 300,
} as const;

export const sumOf = (cases: Record<string, number>) => Object.values(cases).reduce((a, b) => a + b, 0);
