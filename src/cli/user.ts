import { parseArgs } from 'node:util';
import { newUserSchema, roleSchema, usernameSchema } from '../auth/schema.ts';
import {
  createUser,
  type Enrolment,
  findUserByUsername,
  listUsers,
  resetUser,
  unlockUser,
  updateUser,
} from '../auth/users.ts';
import { HttpError } from '../http/errors.ts';
import { translate } from '../http/i18n.ts';
import { parseOrFail } from '../http/validation.ts';
import type { CliIo } from './index.ts';
import { openCliDatabase } from './open-database.ts';

const usage = `usage: hotline user add NAME --role ${roleSchema.options.join('|')} --password-stdin
       hotline user list
       hotline user disable NAME
       hotline user reset NAME --password-stdin   (new password and new TOTP secret)
       hotline user unlock NAME                   (ends a login lock; password and TOTP unchanged)
`;

/** Operator account management. Passwords come on stdin only, never in arguments (shell history, ps). */
export default async function user(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(args);
  } catch (error) {
    io.stderr.write(`${usage}${(error as Error).message}\n`);
    return 1;
  }
  const password = parsed.needsPassword ? await readPassword(io.stdin) : '';
  const { config, db, close } = openCliDatabase();
  const deps = { config, db, now: Date.now };
  const write = (value: unknown) => io.stdout.write(`${JSON.stringify(value)}\n`);
  const enrolled = ({ user, totpSecret, otpauthUri }: Enrolment) =>
    write({ username: user.username, role: user.role, totpSecret, otpauthUri });
  try {
    const { command, name } = parsed;
    if (command === 'list') {
      for (const row of listUsers(db)) write(row);
      return 0;
    }
    if (command === 'add') {
      enrolled(
        await createUser(deps, 'system', parseOrFail(newUserSchema, { username: name, role: parsed.role, password })),
      );
      return 0;
    }
    const username = usernameSchema.safeParse(name);
    const existing = username.success ? findUserByUsername(db, username.data) : undefined;
    if (!existing) throw new HttpError(404, 'not_found', 'error.user.not_found');
    if (command === 'disable') {
      const view = updateUser(deps, 'system', existing.id, { disabled: true });
      write({ username: view.username, disabled: view.disabled });
    } else if (command === 'unlock') {
      const view = unlockUser(deps, 'system', existing.id);
      write({ username: view.username, lockedUntil: view.lockedUntil });
    } else {
      enrolled(await resetUser(deps, 'system', existing.id, password));
    }
    return 0;
  } catch (error) {
    if (!(error instanceof HttpError) || error.status >= 500) throw error;
    io.stderr.write(`${describe(error)}\n`);
    return 1;
  } finally {
    close();
  }
}

function parseCommand(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { role: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    strict: true,
  });
  const [command, name, ...extra] = positionals;
  if (extra.length > 0) throw new Error(`unexpected arguments: ${extra.join(' ')}`);
  if (command === 'list') return { command, name: '', needsPassword: false, role: undefined };
  if (command !== 'add' && command !== 'disable' && command !== 'reset' && command !== 'unlock')
    throw new Error(`unknown: ${command ?? '(none)'}`);
  if (!name) throw new Error('a user name is required');
  const needsPassword = command === 'add' || command === 'reset';
  if (needsPassword && !values['password-stdin'])
    throw new Error('--password-stdin is required: give the password on stdin');
  if (command === 'add' && !values.role) throw new Error('--role is required');
  return { command, name, needsPassword, role: values.role };
}

/** All of stdin, minus the one line break `echo` or a here-string adds. */
async function readPassword(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function describe(error: HttpError): string {
  const lines = [`${error.id}: ${translate('en', error.messageKey)}`];
  for (const [field, key] of Object.entries(error.fields ?? {})) lines.push(`  ${field}: ${translate('en', key)}`);
  return lines.join('\n');
}
