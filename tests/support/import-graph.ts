import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const srcRoot = resolve(import.meta.dirname, '../../src');

/** Every TypeScript file under `dir`, as a path relative to src (`auth/users.ts`). */
export function sourceFiles(dir = srcRoot): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(srcRoot, join(entry.parentPath, entry.name)))
    .sort();
}

// Static imports and re-exports (type-only ones too: a cycle of types is still a tangle) and
// dynamic imports of a literal path.
const importPattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** The files under src that `file` imports, relative to src. */
export function importsOf(file: string): string[] {
  const text = readFileSync(join(srcRoot, file), 'utf8');
  return [...text.matchAll(importPattern)].map((m) => relative(srcRoot, resolve(srcRoot, dirname(file), m[1] ?? '')));
}

export function importGraph(files = sourceFiles()): Map<string, string[]> {
  return new Map(files.map((file) => [file, importsOf(file)]));
}

/** The strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function importCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file) ?? 0);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)?.includes(file)) cycles.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}
