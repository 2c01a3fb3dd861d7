import { Conflict, Invalid } from '../errors.ts';
import type { BatchedCommits } from '../jobs/batched-commits.ts';
import { submissionFromForm } from './form-body.ts';
import type { FormTokens, FreshToken, TokenReading } from './form-token.ts';
import type { FormErrors } from './pages.ts';
import { type IntakeDeps, submitReportGrouped } from './submit-report.ts';

/** What a post of the form comes to. */
export type FormPostOutcome =
  | { kind: 'receipt'; receipt: string }
  /** Sent before, longer ago than its receipt is kept: stored, nothing to send again. */
  | { kind: 'received' }
  | { kind: 'refused'; status: 400 | 429; errors: FormErrors };

const refused = (errors: FormErrors, status: 400 | 429 = 400): FormPostOutcome => ({ kind: 'refused', status, errors });

/** What a post answers whose token is not fresh: what its first post came to, or a refusal. */
function notFreshOutcome(reading: TokenReading): FormPostOutcome {
  if (reading.state === 'replay') return { kind: 'receipt', receipt: reading.receipt };
  if (reading.state === 'received') return { kind: 'received' };
  return refused({ form: 'error.form_token' });
}

/**
 * The form's posts: a token's first post makes one report, every later one (reload, back, a second
 * click, the receipt page's language switch) shows what the first came to. A later post that
 * arrives while the first is still being stored waits for it (an in-memory map from the token's
 * keyed hash to the first post's outcome): the token is marked used only in the report's own
 * transaction, so until that commits the database knows nothing of it. Only first posts count
 * against the rate limit: `withinLimit` is asked for those alone.
 */
export function createFormPosts(intake: IntakeDeps, commits: BatchedCommits, tokens: FormTokens) {
  const inFlight = new Map<string, Promise<FormPostOutcome>>();

  async function submit(fresh: FreshToken, body: Record<string, unknown>): Promise<FormPostOutcome> {
    try {
      const { receipt } = await submitReportGrouped(intake, commits, submissionFromForm(body), (tx, receipt) =>
        tokens.redeem(tx, fresh, receipt),
      );
      return { kind: 'receipt', receipt };
    } catch (error) {
      if (error instanceof Invalid) {
        tokens.spend(fresh);
        return refused(error.fields);
      }
      // Another process stored this token's report first: show what it came to.
      if (error instanceof Conflict && error.id === 'form_token_used') return notFreshOutcome(tokens.read(fresh.token));
      throw error;
    }
  }

  return {
    post(body: Record<string, unknown>, withinLimit: () => boolean): Promise<FormPostOutcome> {
      const reading = tokens.read(body.formToken);
      // A filled trap is refused whatever its token; a fresh one counts, and is used up: no other try.
      if (body.leave_empty) {
        if (reading.state === 'fresh' && !inFlight.has(reading.fresh.nonceHash)) {
          withinLimit();
          tokens.spend(reading.fresh);
        }
        return Promise.resolve(refused({ form: 'error.rejected' }));
      }
      if (reading.state !== 'fresh') return Promise.resolve(notFreshOutcome(reading));
      const { fresh } = reading;
      // Looked up and claimed with no await in between: two posts of one token never both submit.
      const first = inFlight.get(fresh.nonceHash);
      if (first) return first;
      if (!withinLimit()) return Promise.resolve(refused({ form: 'error.rate_limited' }, 429));
      const outcome = submit(fresh, body);
      inFlight.set(fresh.nonceHash, outcome);
      const forget = () => inFlight.delete(fresh.nonceHash);
      outcome.then(forget, forget);
      return outcome;
    },
  };
}
