import { describe, expect, it } from 'vitest';
import { firstAdminHint } from '../../src/auth/users.ts';
import { createTestApp } from '../support/app.ts';
import { addUser } from '../support/auth.ts';
import { startRealServer } from '../support/server.ts';

describe('the first admin', () => {
  it('is explained while there is no account, and no longer once there is one', async () => {
    const t = createTestApp();
    expect(firstAdminHint(t.database.db)).toContain(
      'npm run -s hotline -- user add NAME --role admin --password-stdin',
    );
    await addUser(t, 'analyst');
    expect(firstAdminHint(t.database.db)).toBeUndefined();
  });

  it('npm start prints how to create it on an empty database', async () => {
    const server = await startRealServer();
    try {
      expect(server.output()).toContain('user add NAME --role admin --password-stdin');
    } finally {
      await server.stop();
    }
  });
});
