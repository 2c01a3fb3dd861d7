import { type CommitDurability, type Db, type Tx, withCommitDurability, writeTransaction } from '../db/client.ts';

/** How one change of a batch ended: committed, or rolled back by what it threw. */
export type CommitOutcome = { ok: true } | { ok: false; error: unknown };

interface Pending {
  change: (tx: Tx) => void;
  settle: (outcome: CommitOutcome) => void;
}

export interface BatchOptions {
  /**
   * Runs at the end of each batch's transaction (the worker claims its next jobs there) and returns
   * what to do once it has committed.
   */
  last?: (tx: Tx, batchSize: number) => () => void;
  /**
   * How long the first change of a batch waits for others (ms). 0: only the changes asked for in
   * the same turn of the event loop join it.
   */
  windowMs?: number;
  /** A batch this large is committed at once, without waiting out the window. */
  maxBatch?: number;
  /**
   * `full` (default): each batch's commit is on disk before its changes are told so. `normal`: the
   * commit waits for no fsync (SQLite `synchronous = NORMAL`, for this batch's transaction only), so
   * it survives a crash of the process but not a power cut or OS crash until a later commit syncs.
   * Only for changes that may be lost with everything after them and redone (see createTriageWorker).
   */
  durability?: CommitDurability;
}

const nothingAfter = () => () => {};

/**
 * Changes asked for close together are committed together: one write transaction, so one commit
 * (one fsync under `synchronous = FULL`) for all of them instead of one each. Each change runs in
 * its own savepoint, so one that throws rolls back alone and the others commit; when the commit
 * itself fails, nothing of the batch is stored and every change is told so. Changes run, and their
 * outcomes settle, in the order they were asked for.
 */
export class BatchedCommits {
  private pending: Pending[] = [];
  /** Cancels the scheduled flush; set while a batch is gathering. */
  private cancelScheduled: (() => void) | undefined;
  private readonly last: NonNullable<BatchOptions['last']>;
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private readonly durability: CommitDurability;
  /**
   * Runs one change in a savepoint of the open transaction. better-sqlite3 nests a transaction
   * function as a savepoint through statements it prepared once; drizzle's nested transaction
   * prepares its SAVEPOINT and RELEASE statements anew for every change.
   */
  private readonly inSavepoint: (change: (tx: Tx) => void, tx: Tx) => void;

  constructor(
    private readonly db: Db,
    options: BatchOptions = {},
  ) {
    this.last = options.last ?? nothingAfter;
    this.windowMs = options.windowMs ?? 0;
    this.maxBatch = options.maxBatch ?? Number.POSITIVE_INFINITY;
    this.durability = options.durability ?? 'full';
    this.inSavepoint = db.$client.transaction((change: (tx: Tx) => void, tx: Tx) => change(tx));
  }

  /** Resolves once the batch holding `change` has committed (or rolled it back). */
  commit(change: (tx: Tx) => void): Promise<CommitOutcome> {
    return new Promise((settle) => {
      this.pending.push({ change, settle });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (this.cancelScheduled === undefined) this.cancelScheduled = this.schedule();
    });
  }

  private flush(): void {
    this.cancelScheduled?.();
    this.cancelScheduled = undefined;
    const batch = this.pending.splice(0);
    const outcomes: CommitOutcome[] = [];
    let afterCommit = () => {};
    try {
      withCommitDurability(this.db, this.durability, () =>
        writeTransaction(this.db, (tx) => {
          for (const { change } of batch) {
            try {
              this.inSavepoint(change, tx);
              outcomes.push({ ok: true });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
          afterCommit = this.last(tx, batch.length);
        }),
      );
    } catch (error) {
      // The commit itself failed: nothing of the batch was stored.
      outcomes.splice(0, outcomes.length, ...batch.map(() => ({ ok: false as const, error })));
      afterCommit = () => {};
    }
    for (const [i, { settle }] of batch.entries()) settle(outcomes[i] as CommitOutcome);
    afterCommit();
  }

  private schedule(): () => void {
    if (this.windowMs > 0) {
      const timer = setTimeout(() => this.flush(), this.windowMs);
      return () => clearTimeout(timer);
    }
    const immediate = setImmediate(() => this.flush());
    return () => clearImmediate(immediate);
  }
}
