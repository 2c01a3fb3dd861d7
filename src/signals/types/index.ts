import { blockhash } from './blockhash.ts';
import { md5 } from './md5.ts';
import { pdq } from './pdq.ts';
import { sha1 } from './sha1.ts';
import { sha256 } from './sha256.ts';
import type { PerceptualSignalType, SignalTypeSpec } from './signal-type.ts';

/**
 * The signal-type registry: every kind of signal Hotline stores, matches and imports. Banks, the
 * matcher, the earlier-media lookup, the CLI and the database enum ask it; adding a type is one
 * module here (and, for a perceptual one, its threshold setting in src/config.ts).
 */
const registry = [pdq, blockhash, sha256, sha1, md5] as const;

export type SignalType = (typeof registry)[number]['name'];
/** The names, for zod and drizzle enums. */
export const signalTypes = registry.map((type) => type.name) as [SignalType, ...SignalType[]];

type Registered = (typeof registry)[number];
export type PerceptualSignalTypeName = Extract<Registered, { kind: 'perceptual' }>['name'];
export type ExactSignalTypeName = Extract<Registered, { kind: 'exact' }>['name'];

export const perceptualSignalTypes = registry.filter(
  (type): type is Extract<Registered, { kind: 'perceptual' }> => type.kind === 'perceptual',
);
export const exactSignalTypes = registry.filter(
  (type): type is Extract<Registered, { kind: 'exact' }> => type.kind === 'exact',
);

export function isSignalType(name: unknown): name is SignalType {
  return registry.some((type) => type.name === name);
}

export function signalType(name: SignalType): SignalTypeSpec<SignalType> {
  return registry.find((type) => type.name === name) as SignalTypeSpec<SignalType>;
}

/** The defaults of the threshold settings, by type: src/config.ts reads the settings. */
export function defaultThreshold(name: PerceptualSignalTypeName): number {
  return (signalType(name) as PerceptualSignalType).defaultThreshold;
}

export type { PerceptualSignalType, SignalTypeSpec } from './signal-type.ts';
