import { perceptualSignalType } from './signal-type.ts';

/**
 * Meta's PDQ (src/signals/pdq): 31 is the distance Meta's ThreatExchange recommends for a match.
 * How informative a hash is (its quality) is judged by the matcher, with HOTLINE_PDQ_MIN_QUALITY.
 */
export const pdq = perceptualSignalType('pdq', 256, {
  defaultThreshold: 31,
  thresholdSetting: 'HOTLINE_PDQ_THRESHOLD',
});
