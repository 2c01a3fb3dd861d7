import { DEFAULT_SIGNAL_LIMITS } from '../../src/signals/compute-signals.ts';
import { computeSignalsInPool } from '../../src/signals/signals-pool.ts';
import { syntheticImage } from '../support/synthetic-images.ts';

/**
 * For the pool test: hashes one image through the process's pool and prints its PDQ, then does
 * nothing more. The process must end by itself: an idle pool does not hold it open.
 */
const signals = await computeSignalsInPool(await syntheticImage(11), DEFAULT_SIGNAL_LIMITS);
process.stdout.write(`${signals.pdq}\n`);
