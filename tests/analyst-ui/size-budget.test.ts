import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sizeBudget, sizeBudgetBytes } from '../../analyst-ui/size-budget.ts';

/** Runs the plugin's generateBundle over files of the given contents, as Vite would at the end of a build. */
function runBudget(files: Record<string, string | Buffer>): { info: string[] } {
  const info: string[] = [];
  const context = {
    info: (message: string) => info.push(message),
    error: (message: string) => {
      throw new Error(message);
    },
  };
  const bundle = Object.fromEntries(
    Object.entries(files).map(([fileName, content]) => [
      fileName,
      typeof content === 'string'
        ? { type: 'chunk', fileName, code: content }
        : { type: 'asset', fileName, source: content },
    ]),
  );
  const hook = sizeBudget().generateBundle as unknown as (this: typeof context, o: unknown, b: unknown) => void;
  hook.call(context, {}, bundle);
  return { info };
}

describe('the analyst app size budget', () => {
  it('prints the gzipped size of JavaScript and CSS together, leaving other files out', () => {
    const js = 'export const a = 1;'.repeat(500);
    const css = Buffer.from('.a { color: red; }'.repeat(300));
    const { info } = runBudget({ 'assets/index.js': js, 'assets/index.css': css, 'logo.png': randomBytes(300_000) });
    const expected = (gzipSync(js).length + gzipSync(css).length) / 1024;
    expect(info).toEqual([`JavaScript + CSS gzipped: ${expected.toFixed(1)} KB (budget 150.0 KB)`]);
  });

  it('fails the build over 150 KB gzipped, and not at the budget', () => {
    // Random bytes hardly compress, so the gzipped size lands near the raw size.
    const tooBig = randomBytes(sizeBudgetBytes).toString('latin1');
    const gzipped = (gzipSync(tooBig).length / 1024).toFixed(1);
    expect(() => runBudget({ 'assets/index.js': tooBig })).toThrow(`gzipped is ${gzipped} KB, over 150.0 KB`);
    const fits = randomBytes(Math.floor(sizeBudgetBytes / 2)).toString('latin1');
    expect(gzipSync(fits).length).toBeLessThanOrEqual(sizeBudgetBytes);
    expect(() => runBudget({ 'assets/index.js': fits })).not.toThrow();
  });
});
