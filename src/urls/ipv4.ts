/**
 * The WHATWG URL Standard's IPv4 parser (https://url.spec.whatwg.org/#concept-ipv4-parser): the
 * decimal, octal (leading 0), hex (0x) and short (fewer than four parts) forms browsers accept.
 * Written out because such hosts are common in abuse reports and the native parser is a slow
 * round trip for them; tests check it against `new URL`.
 */

const NUMBER = /^(?:\d+|0x[0-9a-f]*)$/i;
/** Anything above 2^32 is out of range in every position; saturating keeps the arithmetic exact. */
const TOO_BIG = 2 ** 32;

/** True when a browser reads `host` as an IPv4 address (or refuses it): its last label is a number. */
export function endsInNumber(host: string): boolean {
  const lastLabel = host.lastIndexOf('.') + 1;
  const first = host.charCodeAt(lastLabel);
  // Every number starts with a digit; checking that first spares the regex for almost every name.
  return first >= 0x30 && first <= 0x39 && NUMBER.test(host.slice(lastLabel));
}

function digitValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : 99;
}

/** One dot-separated part: `0x` hex, leading-zero octal or decimal; NaN when malformed. */
function parsePart(text: string, start: number, end: number): number {
  if (start === end) return Number.NaN;
  let radix = 10;
  let i = start;
  if (end - start >= 2 && text.charCodeAt(start) === 0x30) {
    const hex = (text.charCodeAt(start + 1) | 0x20) === 0x78;
    radix = hex ? 16 : 8;
    i += hex ? 2 : 1;
  }
  let value = 0;
  for (; i < end; i++) {
    const digit = digitValue(text.charCodeAt(i));
    if (digit >= radix) return Number.NaN;
    value = Math.min(value * radix + digit, TOO_BIG);
  }
  return value;
}

/** Four decimals for a host that ends in a number, or null when it is not a valid address. */
export function parseIpv4(host: string): string | null {
  let value = 0;
  let start = 0;
  for (let index = 0; ; index++) {
    const dot = host.indexOf('.', start);
    const part = parsePart(host, start, dot === -1 ? host.length : dot);
    if (Number.isNaN(part)) return null;
    if (dot === -1) {
      // The last part fills every byte the earlier parts left.
      if (part >= 256 ** (4 - index)) return null;
      value += part;
      break;
    }
    if (index === 3 || part > 255) return null;
    value += part * 256 ** (3 - index);
    start = dot + 1;
  }
  return `${Math.floor(value / 16777216)}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}
