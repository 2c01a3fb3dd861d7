import { Router } from 'express';
import { userActor } from '../audit/chain.ts';
import type { AppDeps } from '../deps.ts';
import { NotFound } from '../errors.ts';
import { parseOrFail, positiveIdSchema } from '../http/validation.ts';
import { currentUser } from './guard.ts';
import { newUserSchema, userChangeSchema, userResetSchema } from './schema.ts';
import type { OnSessionsEnd } from './sessions.ts';
import { createUser, listUsers, resetUser, unlockUser, updateUser } from './users.ts';

/**
 * GET/POST /api/v1/users, PATCH /api/v1/users/:id, POST .../reset and .../unlock: account management
 * (admins, see the policy). Disabling an account ends its sessions and what `onSessionsEnd` ends with them.
 */
export function userRoutes(deps: AppDeps, onSessionsEnd?: OnSessionsEnd): Router {
  const router = Router();

  router.get('/users', (_req, res) => {
    res.json({ users: listUsers(deps.db) });
  });

  router.post('/users', async (req, res) => {
    const input = parseOrFail(newUserSchema, req.body);
    const enrolment = await createUser(deps, userActor(currentUser(res).userId), input, { mustChangePassword: true });
    res.status(201).json(enrolment);
  });

  router.patch('/users/:id', (req, res) => {
    const id = positiveIdSchema.safeParse(req.params.id);
    if (!id.success) throw new NotFound();
    const change = parseOrFail(userChangeSchema, req.body);
    res.json({ user: updateUser(deps, userActor(currentUser(res).userId), id.data, change, onSessionsEnd) });
  });

  // A new temporary password and TOTP secret, for an owner who lost either; the owner chooses a password at next sign-in.
  router.post('/users/:id/reset', async (req, res) => {
    const id = positiveIdSchema.safeParse(req.params.id);
    if (!id.success) throw new NotFound();
    const { password } = parseOrFail(userResetSchema, req.body);
    const actor = userActor(currentUser(res).userId);
    res.json(await resetUser(deps, actor, id.data, password, { mustChangePassword: true }));
  });

  router.post('/users/:id/unlock', (req, res) => {
    const id = positiveIdSchema.safeParse(req.params.id);
    if (!id.success) throw new NotFound();
    res.json({ user: unlockUser(deps, userActor(currentUser(res).userId), id.data) });
  });

  return router;
}
