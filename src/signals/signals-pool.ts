import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SignalLimits, Signals } from './compute-signals.ts';
import { applyDecoderPolicy } from './decoder-policy.ts';
import { type ExactSignals, SignalsError, type SignalsRefusal } from './signals-error.ts';

/**
 * computeSignals on every core: a pool of worker threads, one per core, so that decoding and
 * hashing leave the event loop free to fetch. The fetched bytes are handed over: moved into memory
 * that is transferred to the worker (the caller's Buffer is zeroed at once) and zeroed there after use.
 */

export interface SignalsRequest {
  id: number;
  bytes: ArrayBuffer;
  limits: SignalLimits;
  /** See computeSignals. */
  known: ExactSignals | null;
}

export type SignalsResponse =
  | { id: number; signals: Signals }
  | { id: number; refusal: { reason: SignalsRefusal; message: string; exact: ExactSignals | null } }
  | { id: number; failure: string };

interface Task {
  request: SignalsRequest;
  resolve(signals: Signals): void;
  reject(error: Error): void;
}

/** How a worker thread is started: the code it runs, and whether that code is eval'd. */
export interface WorkerEntry {
  script: string | URL;
  eval: boolean;
}

/**
 * The worker module beside this one. Compiled (dist, what `npm start` runs) it is the .js that tsc
 * wrote there, loaded as it is. From source (tsx, the tests) it is the .ts, and a worker thread does
 * not inherit the TypeScript loader of the thread that starts it, so it registers tsx's loader itself
 * before importing the module. (The file is the ESM entry of `tsx/esm/api`, beside the package's
 * main entry; require() would resolve that export to its CommonJS entry, which cannot load in an
 * eval'd worker.)
 */
export function defaultWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  if (!moduleUrl.endsWith('.ts')) return { script: new URL('./signals-worker.js', moduleUrl), eval: false };
  const tsxMain = pathToFileURL(createRequire(moduleUrl).resolve('tsx'));
  const tsxApi = new URL('esm/api/index.mjs', tsxMain).href;
  const worker = new URL('./signals-worker.ts', moduleUrl).href;
  const script = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(worker)}); });`;
  return { script, eval: true };
}

/** What a worker posts once its module has loaded: from then on it is known to start. */
export const WORKER_READY = 'signals-worker-ready';

/**
 * A worker that dies before it is ready (its script cannot load) would die again at once if
 * replaced at once: replacements wait, doubling from the first delay up to the last.
 */
const RESTART_DELAY_MS = { first: 100, max: 30_000 };

export class SignalsPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly queue: Task[] = [];
  private readonly ready = new WeakSet<Worker>();
  private readonly restarts = new Set<NodeJS.Timeout>();
  private nextId = 0;
  private closed = false;
  /** Set while workers die before they are ready: work is refused with it instead of queued. */
  private startFailure: Error | null = null;
  private failedStarts = 0;

  constructor(
    readonly size = defaultPoolSize(),
    private readonly entry: WorkerEntry = defaultWorkerEntry(),
  ) {
    // libvips settings are per process, and its environment is read from the real one: the main
    // thread sets them before any worker decodes (a worker's process.env is only a copy).
    applyDecoderPolicy();
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  /** Same contract as computeSignals, except that `bytes` is zeroed: its content now belongs to the pool. */
  computeSignals(bytes: Buffer, limits: SignalLimits, known: ExactSignals | null = null): Promise<Signals> {
    if (this.closed) return Promise.reject(new Error('the signals pool is closed'));
    if (this.startFailure) {
      bytes.fill(0);
      return Promise.reject(this.startFailure);
    }
    const request: SignalsRequest = { id: this.nextId++, bytes: takeMemory(bytes), limits, known };
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.restarts) clearTimeout(timer);
    this.restarts.clear();
    for (const task of this.queue.splice(0)) {
      new Uint8Array(task.request.bytes).fill(0);
      task.reject(new Error('the signals pool is closed'));
    }
    const workers = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private spawn(): Worker {
    const worker = new Worker(this.entry.script, { eval: this.entry.eval });
    worker.on('message', (response: SignalsResponse | typeof WORKER_READY) => {
      if (response !== WORKER_READY) return this.settle(worker, response);
      this.ready.add(worker);
      this.startFailure = null;
      this.failedStarts = 0;
    });
    worker.on('error', (error) => this.replace(worker, error));
    worker.on('exit', (code) => this.replace(worker, new Error(`signals worker stopped (exit code ${code})`)));
    // An idle worker must not keep the process alive; a busy one must (see dispatch and settle).
    // Unref'd after the listeners, which would ref it again.
    worker.unref();
    return worker;
  }

  private dispatch(): void {
    while (this.queue.length > 0 && this.idle.length > 0) {
      const worker = this.idle.pop() as Worker;
      const task = this.queue.shift() as Task;
      this.busy.set(worker, task);
      worker.ref();
      worker.postMessage(task.request, [task.request.bytes]);
    }
  }

  private settle(worker: Worker, response: SignalsResponse): void {
    const task = this.busy.get(worker);
    this.busy.delete(worker);
    worker.unref();
    this.idle.push(worker);
    if (task) {
      if ('signals' in response) task.resolve(response.signals);
      else if ('refusal' in response) {
        const { reason, message, exact } = response.refusal;
        task.reject(new SignalsError(reason, message, exact));
      } else task.reject(new Error(response.failure));
    }
    this.dispatch();
  }

  /**
   * A worker that died fails its task and makes way for a new one, unless the pool is closing.
   * One that died before it was ready could not start: the queued work fails with that reason, new
   * work is refused with it, and its replacement waits longer each time (no busy loop of restarts).
   */
  private replace(worker: Worker, error: Error): void {
    const task = this.busy.get(worker);
    const wasKnown = this.busy.delete(worker) || removeFrom(this.idle, worker);
    if (!wasKnown) return;
    if (this.ready.has(worker)) {
      task?.reject(error);
      if (this.closed) return;
      this.idle.push(this.spawn());
      this.dispatch();
      return;
    }
    const failure = new Error(`the signals worker could not start: ${error.message}`);
    this.startFailure = failure;
    task?.reject(failure);
    for (const queued of this.queue.splice(0)) {
      new Uint8Array(queued.request.bytes).fill(0);
      queued.reject(failure);
    }
    if (this.closed) return;
    const delay = Math.min(RESTART_DELAY_MS.max, RESTART_DELAY_MS.first * 2 ** this.failedStarts++);
    const timer = setTimeout(() => {
      this.restarts.delete(timer);
      if (this.closed) return;
      this.idle.push(this.spawn());
      this.dispatch();
    }, delay);
    timer.unref();
    this.restarts.add(timer);
  }
}

function removeFrom(workers: Worker[], worker: Worker): boolean {
  const index = workers.indexOf(worker);
  if (index >= 0) workers.splice(index, 1);
  return index >= 0;
}

/**
 * The bytes, moved into memory of their own that can be transferred to a worker; the caller's
 * copy is zeroed at once, so the worker's is the only one left. (Transferring the caller's own
 * ArrayBuffer would leave it a detached Buffer, which callers that zero their bytes afterwards
 * cannot fill; and a Buffer is often a view into memory shared with other Buffers.)
 */
function takeMemory(bytes: Buffer): ArrayBuffer {
  const memory = new ArrayBuffer(bytes.length);
  new Uint8Array(memory).set(bytes);
  bytes.fill(0);
  return memory;
}

/** One thread per core the process may use. */
export const defaultPoolSize = (): number => availableParallelism();

let shared: SignalsPool | null = null;

/**
 * computeSignals through the process's pool (started on first use, one thread per core): the
 * drop-in for the triage call site. `bytes` is zeroed by the call.
 */
export function computeSignalsInPool(
  bytes: Buffer,
  limits: SignalLimits,
  known: ExactSignals | null = null,
): Promise<Signals> {
  shared ??= new SignalsPool();
  return shared.computeSignals(bytes, limits, known);
}

/** Stops the process's pool (tests, shutdown); the next call starts a new one. */
export async function closeSignalsPool(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}
