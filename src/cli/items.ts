import { parseArgs } from 'node:util';
import { type ItemState, itemStates } from '../taxonomy/vocabulary.ts';
import { listTriagedItems } from '../triage/triaged-items.ts';
import type { CliIo } from './index.ts';
import { openCliDatabase } from './open-database.ts';

const pageSize = 500;

/** `hotline items [--state S]`: one JSON line per item with its state, priority, hosting and signals. */
export default async function items(args: string[], io: CliIo): Promise<number> {
  let state: ItemState | undefined;
  try {
    const { values } = parseArgs({ args, options: { state: { type: 'string' } }, strict: true });
    if (values.state !== undefined && !(itemStates as readonly string[]).includes(values.state)) {
      io.stderr.write(`unknown state: ${values.state} (one of ${itemStates.join(', ')})\n`);
      return 1;
    }
    state = values.state as ItemState | undefined;
  } catch (error) {
    io.stderr.write(`usage: hotline items [--state ${itemStates.join('|')}]\n${(error as Error).message}\n`);
    return 1;
  }
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
