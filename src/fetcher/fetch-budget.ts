/**
 * The time one fetch may take: `timeoutMs`, redirects included, and `streamTimeoutMs` (counted
 * from the same start) once its body turns out to be streamed into the hashes without being kept:
 * a large video must end hashed, not `timeout`. Aborting the caller's signal ends it at once.
 */
export class FetchBudget {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly startedAt = performance.now();
  private timer: NodeJS.Timeout;
  private extended = false;

  constructor(
    timeoutMs: number,
    private readonly streamTimeoutMs: number,
    caller?: AbortSignal,
  ) {
    this.timer = setTimeout(() => this.controller.abort(), timeoutMs);
    this.signal = caller ? AbortSignal.any([caller, this.controller.signal]) : this.controller.signal;
  }

  /** The body is being streamed: the longer budget applies from now on. */
  extendForStream(): void {
    if (this.extended || this.signal.aborted) return;
    this.extended = true;
    clearTimeout(this.timer);
    const left = this.streamTimeoutMs - (performance.now() - this.startedAt);
    this.timer = setTimeout(() => this.controller.abort(), Math.max(0, left));
  }

  end(): void {
    clearTimeout(this.timer);
  }
}
