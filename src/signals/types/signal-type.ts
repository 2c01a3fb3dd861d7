import { hammingDistanceHex } from '../hamming.ts';

/**
 * What Hotline knows of one kind of signal: its name (as stored in banks and matches), its length,
 * how a value is checked and normalised, and how two values compare. Exact signals (cryptographic
 * hashes) match when equal; perceptual ones when within a Hamming distance threshold, which a
 * setting of src/config.ts overrides.
 */
interface SignalTypeBase<Name extends string> {
  readonly name: Name;
  readonly bits: number;
  /** Why `value` (as written in a file or typed by an operator) is not one, or its canonical form: lowercase hex. */
  normalise(value: string): { value: string } | { problem: string };
  /** 0 when the values are the same signal; more the further apart. */
  distance(a: string, b: string): number;
}

export interface ExactSignalType<Name extends string = string> extends SignalTypeBase<Name> {
  readonly kind: 'exact';
}

export interface PerceptualSignalType<Name extends string = string> extends SignalTypeBase<Name> {
  readonly kind: 'perceptual';
  /** The largest distance that still matches, unless the setting says otherwise. */
  readonly defaultThreshold: number;
  /** The environment variable (read in src/config.ts) that overrides the threshold. */
  readonly thresholdSetting: string;
}

export type SignalTypeSpec<Name extends string = string> = ExactSignalType<Name> | PerceptualSignalType<Name>;

function hexNormaliser(name: string, bits: number): SignalTypeBase<string>['normalise'] {
  const digits = bits / 4;
  return (value) => {
    if (value.length !== digits)
      return { problem: `${name} value must be ${digits} hex digits, got ${value.length} characters` };
    if (!/^[0-9a-fA-F]+$/.test(value)) return { problem: `${name} value is not hex` };
    return { value: value.toLowerCase() };
  };
}

/** A cryptographic hash written as hex: equal or not. */
export function exactSignalType<Name extends string>(name: Name, bits: number): ExactSignalType<Name> {
  return { name, bits, kind: 'exact', normalise: hexNormaliser(name, bits), distance: (a, b) => (a === b ? 0 : bits) };
}

/** A perceptual hash written as hex: near when few bits differ. */
export function perceptualSignalType<Name extends string>(
  name: Name,
  bits: number,
  threshold: { defaultThreshold: number; thresholdSetting: string },
): PerceptualSignalType<Name> {
  return {
    name,
    bits,
    kind: 'perceptual',
    normalise: hexNormaliser(name, bits),
    distance: hammingDistanceHex,
    ...threshold,
  };
}
