import audit from './audit.ts';
import backup from './backup.ts';
import bank from './bank.ts';
import type { CliCommand } from './command.ts';
import exportCommand from './export.ts';
import hash from './hash.ts';
import items from './items.ts';
import key from './key.ts';
import match from './match.ts';
import migrate from './migrate.ts';
import normalize from './normalize.ts';
import purge from './purge.ts';
import restore from './restore.ts';
import stats from './stats.ts';
import triage from './triage.ts';
import user from './user.ts';
import worker from './worker.ts';

/** Every command of `hotline`, in the order `hotline help` lists them. Nothing else is a command. */
export const commands: Readonly<Record<string, CliCommand>> = {
  normalize,
  hash,
  bank,
  match,
  triage,
  items,
  worker,
  user,
  audit,
  migrate,
  purge,
  backup,
  restore,
  key,
  export: exportCommand,
  stats,
};
