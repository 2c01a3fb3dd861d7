import { parentPort } from 'node:worker_threads';
import { computeSignals } from './compute-signals.ts';
import { SignalsError } from './signals-error.ts';
import { type SignalsRequest, type SignalsResponse, WORKER_READY } from './signals-pool.ts';

/**
 * One thread of the signals pool: computes the signals of the bytes it is handed (their memory
 * transferred, so no other copy exists), zeroes them, and answers with the signals or the refusal.
 * Like the main thread it writes nothing anywhere: the decoder policy comes with computeSignals.
 */
const port = parentPort;
if (!port) throw new Error('signals-worker.ts runs only as a worker thread');

port.on('message', async ({ id, bytes, limits, known }: SignalsRequest) => {
  const content = Buffer.from(bytes);
  let response: SignalsResponse;
  try {
    response = { id, signals: await computeSignals(content, limits, known) };
  } catch (error) {
    response =
      error instanceof SignalsError
        ? { id, refusal: { reason: error.reason, message: error.message, exact: error.exact } }
        : { id, failure: error instanceof Error ? error.message : String(error) };
  } finally {
    content.fill(0);
  }
  port.postMessage(response);
});

port.postMessage(WORKER_READY);
