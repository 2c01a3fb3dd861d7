import { describe, expect, it } from 'vitest';
import { TRACKING_PARAMS, withoutTrackingParams } from '../../src/urls/tracking-params.ts';

describe('withoutTrackingParams', () => {
  it('drops tracking and share parameters and keeps the rest in order, as written', () => {
    expect(withoutTrackingParams('https://example.com/p?b=2&fbclid=IwAR1&a=%20x&UTM_source=y&si=abc')).toBe(
      'https://example.com/p?b=2&a=%20x',
    );
    expect(withoutTrackingParams('http://example.com/?igsh=1&igshid=2&gclid=3')).toBe('http://example.com/');
    expect(withoutTrackingParams('http://example.com/a')).toBe('http://example.com/a');
    expect(withoutTrackingParams('http://example.com/a?sid=1&size=2')).toBe('http://example.com/a?sid=1&size=2');
  });

  it('knows every listed parameter', () => {
    for (const name of TRACKING_PARAMS)
      expect(withoutTrackingParams(`http://e.com/?${name}=v&k=1`)).toBe('http://e.com/?k=1');
  });
});
