import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/support/analyst-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // sharp and argon2 use native threads; forks keep each file's native state apart.
    pool: 'forks',
  },
});
