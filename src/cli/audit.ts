import { verifyAuditChain } from '../audit/verify.ts';
import type { CliIo } from './index.ts';
import { openCliDatabase } from './open-database.ts';

/** `hotline audit verify`: checks the whole hash chain; exit 0 when sound, 1 naming the first broken event. */
export default async function audit(args: string[], io: CliIo): Promise<number> {
  if (args.length !== 1 || args[0] !== 'verify') {
    io.stderr.write('usage: hotline audit verify\n');
    return 1;
  }
  const { db, close } = openCliDatabase();
  try {
    const verdict = verifyAuditChain(db);
    io.stdout.write(`${JSON.stringify(verdict)}\n`);
    if (verdict.ok) return 0;
    io.stderr.write(
      `audit chain broken at event ${verdict.brokenAt} (${verdict.reason}); ${verdict.events} events before it are sound\n`,
    );
    return 1;
  } finally {
    close();
  }
}
