import { describe, expect, it } from 'vitest';
import { bankEntries } from '../../../src/db/schema/banks.ts';
import {
  exactSignalTypes,
  isSignalType,
  perceptualSignalTypes,
  signalType,
  signalTypes,
} from '../../../src/signals/types/index.ts';
import { testConfig } from '../../support/config.ts';
import { randomHex } from '../../support/hashes.ts';

describe('the signal-type registry', () => {
  it('knows the five types, their lengths and how they compare', () => {
    expect(signalTypes).toEqual(['pdq', 'blockhash', 'sha256', 'sha1', 'md5']);
    const shape = signalTypes.map((name) => [name, signalType(name).bits, signalType(name).kind]);
    expect(shape).toEqual([
      ['pdq', 256, 'perceptual'],
      ['blockhash', 256, 'perceptual'],
      ['sha256', 256, 'exact'],
      ['sha1', 160, 'exact'],
      ['md5', 128, 'exact'],
    ]);
    expect(exactSignalTypes.map((type) => type.name)).toEqual(['sha256', 'sha1', 'md5']);
    expect(isSignalType('tlsh')).toBe(false);
    expect(isSignalType('md5')).toBe(true);
  });

  it('is where the database enum of bank entries comes from', () => {
    expect(bankEntries.signalType.enumValues).toEqual(signalTypes);
  });

  it('normalises a value to lowercase hex of its length, or says what is wrong', () => {
    for (const name of signalTypes) {
      const type = signalType(name);
      const value = randomHex(type.bits / 8);
      expect(type.normalise(value.toUpperCase())).toEqual({ value });
      expect(type.normalise(value.slice(1))).toEqual({
        problem: expect.stringContaining(`${type.bits / 4} hex digits`),
      });
      expect(type.normalise(`${value.slice(1)}g`)).toEqual({ problem: `${name} value is not hex` });
      expect(type.normalise(` ${value.slice(1)}`)).toEqual({ problem: `${name} value is not hex` });
    }
  });

  it('compares exact signals by equality and perceptual ones by Hamming distance', () => {
    const a = '0'.repeat(64);
    const b = `${'0'.repeat(62)}0f`;
    expect(signalType('sha256').distance(a, a)).toBe(0);
    expect(signalType('sha256').distance(a, b)).toBe(256);
    expect(signalType('pdq').distance(a, b)).toBe(4);
    expect(signalType('blockhash').distance(b, a)).toBe(4);
  });

  it('gives each perceptual type a threshold: 31 for PDQ, 10 for blockhash, each overridden by its setting', () => {
    expect(perceptualSignalTypes.map((type) => [type.name, type.defaultThreshold, type.thresholdSetting])).toEqual([
      ['pdq', 31, 'HOTLINE_PDQ_THRESHOLD'],
      ['blockhash', 10, 'HOTLINE_BLOCKHASH_THRESHOLD'],
    ]);
    expect(testConfig().matching.thresholds).toEqual({ pdq: 31, blockhash: 10 });
    for (const type of perceptualSignalTypes) {
      const overridden = testConfig({ [type.thresholdSetting]: '7' }).matching.thresholds;
      expect(overridden).toEqual({ pdq: 31, blockhash: 10, [type.name]: 7 });
    }
  });
});
