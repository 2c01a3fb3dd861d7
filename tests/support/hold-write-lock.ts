// Run as a child process by tests/jobs/worker.test.ts: takes the write lock of the database at
// argv[2] with a write of its own, says `locked`, and on `go` from stdin commits a little later,
// while the test's process is already inside its own transaction.
import { openDatabase } from '../../src/db/client.ts';

const [dbPath = ''] = process.argv.slice(2);
const { sqlite, close } = openDatabase(dbPath);
sqlite.exec('begin immediate');
sqlite
  .prepare(
    "insert into jobs (type, payload, idempotency_key, available_at, created_at, updated_at) values ('other', '0', 'other:0', 0, 0, 0)",
  )
  .run();
process.stdout.write('locked\n');
process.stdin.once('data', () => {
  setTimeout(() => {
    sqlite.exec('commit');
    close();
    process.exit(0);
  }, 200);
});
