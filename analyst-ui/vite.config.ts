import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { sizeBudget } from './size-budget.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

// Served by the hotline server at /analyst/ under a strict CSP: no inline script or style, so no
// inlined assets and no module-preload polyfill (an extra script the CSP would have to allow).
export default defineConfig({
  root,
  base: '/analyst/',
  plugins: [preact(), sizeBudget()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
