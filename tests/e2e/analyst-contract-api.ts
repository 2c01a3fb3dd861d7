import type { Page, Request } from 'playwright-core';

/**
 * The review API of issue 10 as the analyst app reads its contract (analyst-ui/src/api.ts), answered
 * in the browser with page.route while the server side is built in parallel. Sessions, CSRF and
 * users stay real. Every request the app makes to these routes is recorded, so a test asserts what
 * the app sent. Replace with the real server once src/review is merged.
 */
export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  csrf: string | undefined;
}

export const itemSummary = (id: number, state = 'new') => ({
  id,
  url: `https://images.example/gallery/${id}`,
  state,
  priority: 100 - id,
  country: 'NL',
  matched: id % 2 === 0,
  createdAt: '2026-12-01T09:14:00.000Z',
});

export const itemDetail = (id: number) => ({
  id,
  url: `https://images.example/gallery/${id}`,
  state: 'new',
  reports: [
    {
      id: 11,
      receivedAt: '2026-12-01T09:14:00.000Z',
      category: 'csam',
      siteType: 'image_host',
      description: 'Gallery page',
    },
    { id: 12, receivedAt: '2026-12-01T10:02:00.000Z', category: 'other', siteType: 'forum', description: null },
  ],
  media: [
    {
      n: 1,
      url: `https://images.example/img/${id}-1.jpg`,
      mediaType: 'image',
      skipped: null,
      tlsInvalid: true,
      fetchError: null,
      signals: [
        { type: 'sha256', value: 'ab'.repeat(32) },
        { type: 'pdq', value: 'cd'.repeat(32) },
      ],
      matches: [
        {
          bank: 'partner-list',
          label: { legalStatus: 'baseline', content: 'real_abuse' },
          signalType: 'pdq',
          distance: 12,
          variant: 'rotate90',
          source: 'import 2026-11-30',
        },
      ],
      hosting: { address: '192.0.2.7', country: 'NL', network: 'AS64500 Example Hosting' },
      duplicates: [{ itemId: 3 }],
    },
    {
      n: 2,
      url: `https://images.example/img/${id}-2.mp4`,
      mediaType: 'video',
      skipped: null,
      tlsInvalid: false,
      fetchError: null,
      signals: [{ type: 'sha256', value: 'ef'.repeat(32) }],
      matches: [],
      hosting: null,
      duplicates: [],
    },
  ],
  suggestion: { fields: { legalStatus: 'baseline', content: 'real_abuse' }, source: 'partner-list (pdq 12)' },
  assessments:
    id === 9
      ? [
          {
            id: 77,
            by: 'someone-else',
            at: '2026-12-02T08:30:00.000Z',
            state: 'to_confirm',
            fields: { legalStatus: 'national', content: 'erotica_posing', comment: 'Posed, clothed' },
          },
        ]
      : [],
});

export interface ContractApi {
  calls: RecordedCall[];
  /** Items "Next" hands out, in order; then 204. */
  nextItems: number[];
}

/** Answers the review routes of `page` from the fixtures above; `view` is the JPEG of every safe view. */
export async function routeReviewApi(page: Page, view: Buffer): Promise<ContractApi> {
  const api: ContractApi = { calls: [], nextItems: [] };
  const record = (request: Request) => {
    const url = new URL(request.url());
    const call = {
      method: request.method(),
      path: url.pathname.replace('/api/v1', ''),
      query: url.searchParams,
      body: request.postData() ? JSON.parse(request.postData() ?? 'null') : undefined,
      csrf: request.headers()['x-csrf-token'],
    };
    api.calls.push(call);
    return call;
  };
  const json = (body: unknown, status = 200) => ({
    status,
    contentType: 'application/json',
    body: JSON.stringify(body),
  });

  await page.route(/\/api\/v1\/(queue|items|assessments)(\/|\?|$)/, async (route) => {
    const call = record(route.request());
    const itemId = Number(/^\/items\/(\d+)/.exec(call.path)?.[1]);
    if (call.path === '/queue') {
      return route.fulfill(
        json({
          counts: { new: 2, to_confirm: 1, disputed: 0, known: 4, unreachable: 1, gone: 3 },
          exposure: { seconds: 6000, limitSeconds: 7200 },
        }),
      );
    }
    if (call.path === '/queue/next') {
      const id = api.nextItems.shift();
      return id === undefined ? route.fulfill({ status: 204 }) : route.fulfill(json({ item: itemSummary(id) }));
    }
    if (call.path === '/items') {
      const page1 = [itemSummary(9, call.query.get('state') ?? 'new'), itemSummary(8)];
      const page2 = [itemSummary(5)];
      return route.fulfill(
        json(
          call.query.get('cursor') === 'after-8'
            ? { items: page2, nextCursor: null }
            : { items: page1, nextCursor: 'after-8' },
        ),
      );
    }
    if (/\/media\/\d+\/view$/.test(call.path)) {
      return route.fulfill({
        status: 200,
        contentType: 'image/jpeg',
        body: view,
        headers: { 'Cache-Control': 'no-store' },
      });
    }
    if (call.method === 'GET' && itemId) return route.fulfill(json(itemDetail(itemId)));
    if (call.path.endsWith('/assessments')) return route.fulfill(json({ assessment: { id: 100 } }, 201));
    return route.fulfill({ status: 204 });
  });
  return api;
}
