import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { apiPolicy } from '../../src/auth/policy.ts';
import { roles } from '../../src/auth/roles.ts';
import { itemListQuerySchema } from '../../src/review/item-list.ts';
import { listApiRoutes } from '../support/api-routes.ts';
import { createTestApp } from '../support/app.ts';

interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
  security: Record<string, string[]>[];
  'x-roles'?: string[];
}
interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: string[];
  additionalProperties?: boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
}

const t = createTestApp();
const key = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;

async function fetchDocument() {
  const res = await request(t.app).get('/api/v1/openapi.json').expect(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return res.body as { openapi: string; paths: Record<string, Record<string, Operation>>; components: unknown };
}

function operations(document: Awaited<ReturnType<typeof fetchDocument>>) {
  return Object.entries(document.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({
      method: method.toUpperCase(),
      // The policy table writes parameters the Express way.
      path: path.replace(/\{(\w+)\}/g, ':$1'),
      operation,
    })),
  );
}

describe('GET /api/v1/openapi.json', () => {
  it('is served to anyone, without a session, as OpenAPI 3.1', async () => {
    const document = await fetchDocument();
    expect(document.openapi).toBe('3.1.0');
  });

  it('documents every route of the policy table with its method, and nothing else', async () => {
    const documented = operations(await fetchDocument()).map(key);
    const listed = apiPolicy.map(key);
    expect(documented.filter((k) => !listed.includes(k))).toEqual([]);
    expect(listed.filter((k) => !documented.includes(k))).toEqual([]);
    expect(documented).toHaveLength(listed.length);
  });

  it('documents only routes the app serves', async () => {
    const served = new Set(listApiRoutes(t.app).map(key));
    expect(
      operations(await fetchDocument())
        .map(key)
        .filter((k) => !served.has(k)),
    ).toEqual([]);
  });

  it('says who may call each route, as the policy table does', async () => {
    for (const { method, path, operation } of operations(await fetchDocument())) {
      const entry = apiPolicy.find((e) => e.method === method && e.path === path);
      if (entry?.allow === 'public') {
        expect(operation.security, path).toEqual([]);
        expect(operation['x-roles']).toBeUndefined();
        continue;
      }
      expect(operation['x-roles'], `${method} ${path}`).toEqual(entry?.allow);
      expect(operation.security).toEqual([method === 'GET' ? { session: [] } : { session: [], csrf: [] }]);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
  });

  it('gives every error answer the one error schema, and every route a success answer', async () => {
    let errors = 0;
    for (const { method, path, operation } of operations(await fetchDocument())) {
      const statuses = Object.keys(operation.responses);
      expect(
        statuses.some((s) => s.startsWith('2')),
        `${method} ${path}`,
      ).toBe(true);
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        expect(operation.responses[status]?.content?.['application/json']?.schema).toEqual({
          $ref: '#/components/schemas/Error',
        });
        errors += 1;
      }
    }
    expect(errors).toBeGreaterThan(apiPolicy.length);
  });

  it('takes request bodies from the zod schemas the routes parse with', async () => {
    const document = await fetchDocument();
    const newUser = document.paths['/api/v1/users']?.post?.requestBody?.content['application/json']?.schema;
    expect(newUser?.properties?.role?.enum).toEqual([...roles]);
    expect(newUser?.required).toEqual(expect.arrayContaining(['username', 'role', 'password']));
    // A strict schema refuses unknown fields, and the document says so.
    expect(newUser?.additionalProperties).toBe(false);
    const report = document.paths['/api/v1/reports']?.post?.requestBody?.content['application/json']?.schema;
    expect(Object.keys(report?.properties ?? {})).toEqual(
      expect.arrayContaining(['urls', 'category', 'description', 'contact']),
    );
    // Both shapes of an assessment, a judgement and `gone`.
    const assessment =
      document.paths['/api/v1/items/{id}/assessments']?.post?.requestBody?.content['application/json']?.schema;
    const shapes = assessment?.anyOf ?? assessment?.oneOf ?? [];
    expect(shapes.map((s) => Object.keys(s.properties ?? {})[0]).sort()).toEqual(['legalStatus', 'outcome']);
  });

  it('takes query parameters from the zod schemas, and path parameters from the path', async () => {
    const document = await fetchDocument();
    const items = document.paths['/api/v1/items']?.get?.parameters ?? [];
    expect(items.map((p) => p.name).sort()).toEqual(Object.keys(itemListQuerySchema.shape).sort());
    expect(items.every((p) => p.in === 'query' && !p.required)).toBe(true);
    const view = document.paths['/api/v1/items/{id}/media/{n}/view']?.get?.parameters ?? [];
    expect(view.filter((p) => p.in === 'path').map((p) => [p.name, p.required])).toEqual([
      ['id', true],
      ['n', true],
    ]);
  });
});
