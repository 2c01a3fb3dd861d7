import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, sourceFiles, srcRoot } from './support/import-graph.ts';

const graph = importGraph();

describe('the import graph of src', () => {
  it('is read at all: files and what they import', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('main.ts')).toContain('app.ts');
    expect(graph.get('cli/commands.ts')).toContain('cli/user.ts');
  });

  it('has no import cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('would report a cycle, a self-import, and nothing for a diamond', () => {
    const cyclic = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', ['d.ts']],
      ['e.ts', ['f.ts', 'g.ts']],
      ['f.ts', ['h.ts']],
      ['g.ts', ['h.ts']],
      ['h.ts', []],
    ]);
    expect(importCycles(cyclic)).toEqual([['d.ts'], ['a.ts', 'b.ts', 'c.ts']]);
  });

  it('lets nothing but main.ts import app.ts', () => {
    const importers = [...graph].filter(([, imports]) => imports.includes('app.ts')).map(([file]) => file);
    expect(importers).toEqual(['main.ts']);
  });
});

describe('errors', () => {
  it('keeps HttpError inside src/http: domain code throws domain errors (src/errors.ts)', () => {
    const outside = sourceFiles()
      .filter((file) => !file.startsWith('http/'))
      .filter((file) => /\bHttpError\b/.test(readFileSync(join(srcRoot, file), 'utf8')));
    expect(outside).toEqual([]);
  });
});
