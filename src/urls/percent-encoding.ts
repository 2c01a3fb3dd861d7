/**
 * Percent-encoding the Safe Browsing way. The spec works on bytes, so URLs are handled here as
 * "byte strings": one char per byte (code 0..255), the UTF-8 encoding of the original text.
 */

const NON_ASCII = /[\u0080-\uffff]/;

/** The UTF-8 bytes of `text`, one char per byte. ASCII text is returned as it is (the common case). */
export function toByteString(text: string): string {
  return NON_ASCII.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

/** Decodes a byte string as UTF-8 (invalid sequences become U+FFFD). */
export function fromByteString(bytes: string): string {
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * Decodes escapes at the tail of a stack as soon as they are complete, so that nested escapes
 * ("%2525...") take one pass instead of one pass per level: linear even on hostile input.
 */
function unescapeNested(bytes: string): string {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    out.push(bytes.charCodeAt(i));
    let n = out.length;
    while (n >= 3 && out[n - 3] === 0x25) {
      const high = hexValue(out[n - 2] as number);
      const low = hexValue(out[n - 1] as number);
      if (high < 0 || low < 0) break;
      out[n - 3] = high * 16 + low;
      n -= 2;
      out.length = n;
    }
  }
  let result = '';
  for (let i = 0; i < out.length; i += 4096) {
    result += String.fromCharCode(...out.slice(i, i + 4096));
  }
  return result;
}

/**
 * Percent-unescapes until no escape is left ("%2525" -> "%"), the spec's "repeatedly unescape".
 * Escapes never overlap, so every order of decoding reaches the same fixed point. A first
 * left-to-right pass is all the common case needs: a new escape can only appear where the pass
 * leaves a `%`, kept as written or decoded from "%25", and only then does the nested pass run.
 */
export function unescapeFully(bytes: string): string {
  let i = bytes.indexOf('%');
  if (i === -1) return bytes;
  let out = '';
  let copied = 0;
  let percentLeft = false;
  for (; i !== -1; i = bytes.indexOf('%', i + 1)) {
    const high = i + 2 < bytes.length ? hexValue(bytes.charCodeAt(i + 1)) : -1;
    const low = high < 0 ? -1 : hexValue(bytes.charCodeAt(i + 2));
    if (low < 0) {
      percentLeft = true;
      continue;
    }
    const code = high * 16 + low;
    if (code === 0x25) percentLeft = true;
    out += bytes.slice(copied, i) + String.fromCharCode(code);
    copied = i + 3;
    i += 2;
  }
  const once = copied === 0 ? bytes : out + bytes.slice(copied);
  return percentLeft ? unescapeNested(once) : once;
}

const HEX = '0123456789ABCDEF';
// biome-ignore lint/suspicious/noControlCharactersInRegex: control bytes are exactly what the spec escapes.
const NEEDS_ESCAPE = /[\x00-\x20\x7f-\xff#%]/;

/** Escapes bytes <= 0x20, >= 0x7f, `#` and `%` with uppercase hex, as the spec requires. */
export function escapeBytes(bytes: string): string {
  const first = bytes.search(NEEDS_ESCAPE);
  if (first === -1) return bytes;
  let out = bytes.slice(0, first);
  let copied = first;
  for (let i = first; i < bytes.length; i++) {
    const code = bytes.charCodeAt(i);
    if (code > 0x20 && code < 0x7f && code !== 0x23 && code !== 0x25) continue;
    out += `${bytes.slice(copied, i)}%${HEX[code >> 4]}${HEX[code & 15]}`;
    copied = i + 1;
  }
  return out + bytes.slice(copied);
}
