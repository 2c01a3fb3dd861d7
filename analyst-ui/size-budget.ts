import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The workspace must stay light on a slow line: JavaScript and CSS together, gzipped. */
export const sizeBudgetBytes = 150 * 1024;

/** Prints the gzipped size of the built JavaScript and CSS and fails the build over the budget. */
export function sizeBudget(): Plugin {
  return {
    name: 'hotline-size-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      let total = 0;
      for (const file of Object.values(bundle)) {
        if (!/\.(js|css)$/.test(file.fileName)) continue;
        total += gzipSync(file.type === 'chunk' ? file.code : file.source).length;
      }
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      this.info(`JavaScript + CSS gzipped: ${kb(total)} (budget ${kb(sizeBudgetBytes)})`);
      if (total > sizeBudgetBytes) this.error(`JavaScript + CSS gzipped is ${kb(total)}, over ${kb(sizeBudgetBytes)}`);
    },
  };
}
