import { domainToASCII } from 'node:url';
import ipaddr from 'ipaddr.js';
import { boundedMemo } from './bounded-memo.ts';
import { endsInNumber, parseIpv4 } from './ipv4.ts';
import { escapeBytes, fromByteString } from './percent-encoding.ts';

/**
 * Bytes no browser accepts in a host name (the WHATWG forbidden domain code points).
 * These hosts keep the spec's escaped form, and canonicaliseUrl later refuses them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control bytes are among the forbidden ones.
const UNPARSEABLE = /[\x00-\x20#%/:<>?@[\\\]^|\x7f]/;
/** The spec's reference client reads a host as IDN (UTF-8) when it has a byte above 0x80. */
const IDN_BYTE = /[\x81-\xff]/;
const BRACKETED_IPV6 = /^\[[0-9a-f:.]+\]$/i;
const DOTTED_QUAD = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

const toLower = (run: string) => run.toLowerCase();

/** Lowercases ASCII letters only: the other chars are bytes, which toLowerCase would change. */
function lowerAscii(bytes: string): string {
  return /[A-Z]/.test(bytes) ? bytes.replace(/[A-Z]+/g, toLower) : bytes;
}

/**
 * The lowercase host when it is a plain ASCII name (letters, digits, `-`, `_`, single dots
 * inside), otherwise null. The bulk of real addresses take this path and skip the IDN parser.
 */
function plainName(host: string): string | null {
  let hasUpper = false;
  let afterDot = true;
  for (let i = 0; i < host.length; i++) {
    const code = host.charCodeAt(i);
    if (code === 0x2e) {
      if (afterDot) return null;
      afterDot = true;
      continue;
    }
    afterDot = false;
    if (code >= 0x41 && code <= 0x5a) hasUpper = true;
    else if (!((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x5f))
      return null;
  }
  if (afterDot) return null;
  return hasUpper ? host.toLowerCase() : host;
}

/** A lowercase ASCII name: an IPv4 address when it ends in a number, else a domain name. */
function asciiName(name: string): CanonicalHost | null {
  if (!endsInNumber(name)) return { host: name, whatwg: name.indexOf('xn--') === -1 };
  const ipv4 = parseIpv4(name);
  return ipv4 === null ? null : { host: ipv4, whatwg: true };
}

/** Removes leading and trailing dots and collapses runs of dots, as the spec asks. */
function collapseDots(host: string): string {
  if (host.indexOf('.') === -1) return host;
  let out = host.indexOf('..') === -1 ? host : host.replace(/\.{2,}/g, '.');
  if (out.charCodeAt(0) === 0x2e) out = out.slice(1);
  if (out.charCodeAt(out.length - 1) === 0x2e) out = out.slice(0, -1);
  return out;
}

/**
 * IPv6 literals in the shortest form; IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d)
 * addresses become the IPv4 address they stand for, as the current Safe Browsing reference says.
 */
function canonicalIpv6(host: string): string | null {
  if (!BRACKETED_IPV6.test(host)) return null;
  const shortest = domainToASCII(host);
  if (shortest === '') return null;
  const address = ipaddr.IPv6.parse(shortest.slice(1, -1));
  if (address.isIPv4MappedAddress()) return address.toIPv4Address().toString();
  if (address.range() === 'rfc6052') {
    const [, , , , , , high = 0, low = 0] = address.parts;
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return shortest;
}

export interface CanonicalHost {
  host: string;
  /** True when the WHATWG URL parser is known to accept `host` unchanged. */
  whatwg: boolean;
}

/**
 * The canonical form of a host taken from an unescaped URL (a byte string, dots not yet cleaned).
 * IDN becomes punycode and every IPv4 spelling (decimal, octal, hex, fewer than four parts) four
 * decimals, through the same WHATWG host parser browsers use. Never fails: a host no browser
 * could resolve keeps the spec's lowercased, escaped form, with `whatwg: false`.
 */
export function canonicalHost(rawHost: string): CanonicalHost {
  const plain = plainName(rawHost);
  // Punycode labels ("xn--") are checked by the WHATWG parser later, so they are not vouched for here.
  if (plain !== null) return asciiName(plain) ?? { host: escapeBytes(plain), whatwg: false };
  return unusualHost(rawHost);
}

function canonicalUnusualHost(rawHost: string): CanonicalHost {
  const host = collapseDots(rawHost);
  return parsedHost(host) ?? { host: escapeBytes(lowerAscii(host)), whatwg: false };
}

/**
 * Hosts other than plain names (IDN, IPv6, odd dots) go through the IDN parser, which costs
 * several times the rest of canonicalisation; reports of one place repeat them, so the results
 * are kept. Keyed by the host as written, so a remembered result is the one it would compute.
 * An IDN host is at most 253 punycode characters, a few times that in UTF-8 bytes.
 */
const unusualHost = boundedMemo(canonicalUnusualHost, 10_000, 1024);

/** For tests: how many unusual hosts are remembered now. */
export const unusualHostMemoSize = (): number => unusualHost.size();

/** The host as browsers parse it, or null when they refuse it. */
function parsedHost(host: string): CanonicalHost | null {
  if (host.charCodeAt(0) === 0x5b) {
    const ipv6 = canonicalIpv6(host);
    return ipv6 === null ? null : { host: ipv6, whatwg: true };
  }
  if (UNPARSEABLE.test(host)) return null;
  const idn = IDN_BYTE.test(host);
  // A lone 0x80 byte is not IDN to the reference client: such a host keeps its escaped form.
  if (!idn && host.indexOf('\x80') !== -1) return null;
  if (!idn && endsInNumber(host)) return asciiName(lowerAscii(host));
  const ascii = domainToASCII(idn ? fromByteString(host) : host);
  if (ascii === '') return null;
  // IDN mapping turns other full stops into dots ("a\u3002\u3002b"), so the result may need
  // cleaning once more; the cleaned name is ASCII and goes through the parser again.
  const clean = collapseDots(ascii);
  return clean === ascii ? { host: ascii, whatwg: true } : canonicalHost(clean);
}

/** True for a canonical host that is an address literal rather than a name. */
export function isIpHost(host: string): boolean {
  const first = host.charCodeAt(0);
  return first === 0x5b || (first >= 0x30 && first <= 0x39 && DOTTED_QUAD.test(host));
}

/** `.onion` names exist only inside Tor (RFC 7686); any case, with or without the root dot. */
export function isOnionName(host: string): boolean {
  return /\.onion\.?$/i.test(host);
}
