// Run as a child process by tests/triage/jobs.test.ts: claims jobs from the database at argv[2] until none is
// left, then prints the ids it got. Several of these race for the same jobs.
import { openDatabase } from '../../src/db/client.ts';
import { claimJob } from '../../src/jobs/queue.ts';

const [dbPath = '', workerId = ''] = process.argv.slice(2);
const { db, close } = openDatabase(dbPath);
const claimed: number[] = [];
for (;;) {
  const job = claimJob(db, { types: ['race'], workerId, now: Date.now(), lockMs: 600_000 });
  if (!job) break;
  claimed.push(job.id);
}
close();
process.stdout.write(JSON.stringify(claimed));
