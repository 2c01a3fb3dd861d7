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
import { NotFound } from '../errors.ts';
import { parseOrFail } from '../http/validation.ts';
import { claimsReleaser } from '../review/claims.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';
import { openCliDatabase } from './open-database.ts';

const usage = `usage: hotline user add NAME --role ${roleSchema.options.join('|')} --password-stdin
       hotline user list
       hotline user disable NAME
       hotline user reset NAME --password-stdin   (new password and new TOTP secret)
       hotline user unlock NAME                   (ends a login lock; password and TOTP unchanged)
`;

/** Operator account management. Passwords come on stdin only, never in arguments (shell history, ps). */
async function user(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(args);
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
    if (!existing) throw new NotFound('not_found', 'error.user.not_found');
    if (command === 'disable') {
      const view = updateUser(deps, 'system', existing.id, { disabled: true }, claimsReleaser(config));
      write({ username: view.username, disabled: view.disabled });
    } else if (command === 'unlock') {
      const view = unlockUser(deps, 'system', existing.id);
      write({ username: view.username, lockedUntil: view.lockedUntil });
    } else {
      enrolled(await resetUser(deps, 'system', existing.id, password));
    }
    return 0;
  } finally {
    close();
  }
}

function parseCommand(args: string[]) {
  const { values, positionals } = parseCommandArgs(args, {
    role: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  });
  const [command, name, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (command === 'list') return { command, name: '', needsPassword: false, role: undefined };
  if (command !== 'add' && command !== 'disable' && command !== 'reset' && command !== 'unlock')
    throw new UsageError(command === undefined ? 'user needs a subcommand' : `unknown: user ${command}`);
  if (!name) throw new UsageError('a user name is required');
  const needsPassword = command === 'add' || command === 'reset';
  if (needsPassword && !values['password-stdin'])
    throw new UsageError('--password-stdin is required: give the password on stdin');
  if (command === 'add' && !values.role) throw new UsageError('--role is required');
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

export default {
  summary: 'manage analyst accounts: add, list, disable, reset, unlock',
  usage,
  run: user,
} satisfies CliCommand;
