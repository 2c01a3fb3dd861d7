import { perceptualSignalType } from './signal-type.ts';

/** Blockhash (src/signals/blockhash), 256 bits: coarser than PDQ, so a tighter threshold. */
export const blockhash = perceptualSignalType('blockhash', 256, {
  defaultThreshold: 10,
  thresholdSetting: 'HOTLINE_BLOCKHASH_THRESHOLD',
});
