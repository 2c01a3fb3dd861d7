import { existsSync } from 'node:fs';

/** `npm run bench -- <name>` runs the default export of ./<name>.ts. */
const name = process.argv[2];
const file = name && /^[a-z][a-z-]*$/.test(name) ? new URL(`./${name}.ts`, import.meta.url) : undefined;
if (!file || name === 'index' || !existsSync(file)) {
  process.stderr.write(`usage: npm run bench -- <name>\nunknown benchmark: ${name ?? '(none)'}\n`);
  process.exit(1);
}
const bench = (await import(file.href)) as { default: () => Promise<void> };
await bench.default();
