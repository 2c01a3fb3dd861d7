import { type Db, type Tx, writeTransaction } from '../db/client.ts';

/** How one change of a batch ended: committed, or rolled back by what it threw. */
export type CommitOutcome = { ok: true } | { ok: false; error: unknown };

interface Pending {
  change: (tx: Tx) => void;
  settle: (outcome: CommitOutcome) => void;
}

/**
 * Changes asked for within one turn of the event loop are committed together: one write
 * transaction, so one commit (one fsync under `synchronous = FULL`) for all of them instead of one
 * each. Each change runs in its own savepoint, so one that throws rolls back alone and the others
 * commit. `last` runs at the end of the same transaction (the worker claims its next jobs there)
 * and returns what to do once it has committed.
 */
export class BatchedCommits {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly last: (tx: Tx, batchSize: number) => () => void,
  ) {}

  /** Resolves once the batch holding `change` has committed (or rolled it back). */
  commit(change: (tx: Tx) => void): Promise<CommitOutcome> {
    return new Promise((settle) => {
      this.pending.push({ change, settle });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending.splice(0);
    const outcomes: CommitOutcome[] = [];
    let afterCommit = () => {};
    try {
      writeTransaction(this.db, (tx) => {
        for (const { change } of batch) {
          try {
            tx.transaction((savepoint) => change(savepoint));
            outcomes.push({ ok: true });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
        afterCommit = this.last(tx, batch.length);
      });
    } catch (error) {
      // The commit itself failed: nothing of the batch was stored.
      outcomes.splice(0, outcomes.length, ...batch.map(() => ({ ok: false as const, error })));
      afterCommit = () => {};
    }
    for (const [i, { settle }] of batch.entries()) settle(outcomes[i] as CommitOutcome);
    afterCommit();
  }
}
