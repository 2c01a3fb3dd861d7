import { type ItemState, itemStates } from '../taxonomy/vocabulary.ts';
import { listTriagedItems } from '../triage/triaged-items.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';
import { openCliDatabase } from './open-database.ts';

const pageSize = 500;

/** `hotline items [--state S]`: one JSON line per item with its state, priority, hosting and signals. */
async function items(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { state: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  if (values.state !== undefined && !(itemStates as readonly string[]).includes(values.state)) {
    throw new UsageError(`unknown state: ${values.state} (one of ${itemStates.join(', ')})`);
  }
  const state = values.state as ItemState | undefined;
  const { db, close } = openCliDatabase();
  try {
    let afterId = 0;
    for (;;) {
      const page = listTriagedItems(db, { ...(state ? { state } : {}), afterId, limit: pageSize });
      for (const item of page) io.stdout.write(`${JSON.stringify(item)}\n`);
      if (page.length < pageSize) return 0;
      afterId = page[page.length - 1]?.id ?? afterId;
    }
  } finally {
    close();
  }
}

export default {
  summary: 'items with their state, priority, hosting and media',
  usage: `usage: hotline items [--state ${itemStates.join('|')}]\n`,
  run: items,
} satisfies CliCommand;
