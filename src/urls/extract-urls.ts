import { parse } from 'tldts';

/**
 * Finds the addresses in what a reporter pasted: one a line, inside sentences, in quotes or angle
 * brackets, defanged the way abuse reports often are (`hxxp://`, `example[.]com`). Addresses
 * come back in order, exact duplicates removed, as written (refanged); canonicaliseUrl does the rest.
 */

/** Far more than any report may hold (the intake allows a few); bounds the work on a huge paste. */
export const MAX_EXTRACTED = 500;

const REFANGS: readonly [RegExp, string][] = [
  [/\bhxxp(s?)(?=\[?:)/gi, 'http$1'],
  [/\[:\/\/\]/g, '://'],
  [/\[:\]/g, ':'],
  [/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}/gi, '.'],
  // A defanged e-mail address (`someone[@]example[.]com`) is still an e-mail address.
  [/\[@\]|\(@\)|\{@\}|\[at\]|\(at\)|\{at\}/gi, '@'],
];
const SCHEME = /https?:\/\//i;
const LEADING_NOISE = /^[^\p{L}\p{N}]+/u;
/**
 * Whitespace, and characters never raw inside an address (pasted HTML: `href="...">`), split words;
 * so does a comma or semicolon right before a scheme (`a,https://b`: a list typed without spaces).
 */
const WORD_BREAK = /[\s"<>]+|[,;](?=https?:\/\/)/i;
const DOTTED_QUAD = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
/** A scheme-less address: dotted host, optional port, then a path, query or fragment, or the end. */
const BARE_ADDRESS = /^((?:[\p{L}\p{N}_-]+\.)+[\p{L}\p{N}_-]+)(?::\d{1,5})?(?:[/?#]|$)/u;
/**
 * Punctuation that ends a sentence or closes a quote rather than belonging to the address; a chat's
 * ellipsis (`…`) and Markdown's emphasis (`**`) too.
 */
const TRAILING_NOISE = new Set([...".,;:!?'`«»‹›“”‘’„「」『』【】〈〉《》…*"]);
const OPENER_OF: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) n++;
  return n;
}

/** Drops trailing punctuation; a closing bracket stays when it closes one inside the address. */
function trimTrailingNoise(candidate: string): string {
  let end = candidate.length;
  while (end > 0) {
    const last = candidate[end - 1] as string;
    const opener = OPENER_OF[last];
    const kept = candidate.slice(0, end);
    if (TRAILING_NOISE.has(last) || (opener !== undefined && count(kept, last) > count(kept, opener))) end--;
    else break;
  }
  return candidate.slice(0, end);
}

/** A scheme-less word counts as an address only when its host ends in a real public suffix or is an IP. */
function isBareAddress(candidate: string): boolean {
  const match = BARE_ADDRESS.exec(candidate);
  if (match === null) return false;
  const host = (match[1] as string).toLowerCase();
  if (DOTTED_QUAD.test(host)) return true;
  const { isIcann, isPrivate } = parse(host, { allowPrivateDomains: true, detectIp: false });
  return isIcann === true || isPrivate === true;
}

function addressIn(word: string): string | null {
  const scheme = word.search(SCHEME);
  if (scheme !== -1) {
    const address = trimTrailingNoise(word.slice(scheme));
    return SCHEME.exec(address)?.[0].length === address.length ? null : address;
  }
  const address = trimTrailingNoise(word.replace(LEADING_NOISE, ''));
  return isBareAddress(address) ? address : null;
}

function refang(text: string): string {
  let live = text;
  for (const [pattern, replacement] of REFANGS) live = live.replace(pattern, replacement);
  return live;
}

export function extractUrls(text: string): string[] {
  return addressesIn(refang(text));
}

function addressesIn(live: string): string[] {
  const found = new Set<string>();
  for (const word of live.split(WORD_BREAK)) {
    const address = word === '' ? null : addressIn(word);
    if (address !== null) found.add(address);
    if (found.size === MAX_EXTRACTED) break;
  }
  return [...found];
}

/** Why a pasted line holds no address: shown back to the reporter, who may have meant the website. */
export type PastedProblem = 'email' | 'email_beside' | 'local_name' | 'bare_word';

/** What one pasted line holds: its addresses, or why it looks like something else. */
export type PastedLine = { addresses: string[] } | { problem: PastedProblem };

const EMAIL = /^(?:mailto:)?[^\s@/:]+@(?:[\p{L}\p{N}-]+\.)+[\p{L}\p{N}-]+$/iu;
const SINGLE_LABEL = /^[\p{L}\p{N}_-]+(?::\d{1,5})?\/?$/u;
const DOTTED_NAME = /^(?:[\p{L}\p{N}_-]+\.)+[\p{L}\p{N}_-]+(?::\d{1,5})?(?:[/?#].*)?$/u;

function problemOf(word: string): PastedProblem | undefined {
  if (EMAIL.test(word)) return 'email';
  if (word.toLowerCase() === 'localhost' || (DOTTED_NAME.test(word) && !isBareAddress(word))) return 'local_name';
  if (SINGLE_LABEL.test(word)) return 'bare_word';
  return undefined;
}

/**
 * The one reading of a pasted line, shared by the form, the API and `hotline normalize`: its
 * addresses (see extractUrls); or, when it has none, whether it is really an e-mail address, a
 * local name or a bare word; or else the line itself, trimmed, so that canonicalisation can say
 * what is wrong with it (`javascript:`, `http://` without a host, ...). An e-mail address beside
 * addresses is shown back too (`email_beside`), never dropped without a word: the reporter may
 * have meant the website behind it.
 */
export function readPastedLine(line: string): PastedLine {
  const live = refang(line);
  const words = live.split(WORD_BREAK).map((word) => trimTrailingNoise(word.replace(LEADING_NOISE, '')));
  const meaningful = words.filter((word) => word !== '');
  const hasEmail = meaningful.some((word) => EMAIL.test(word));
  const addresses = addressesIn(live);
  if (addresses.length > 0) return hasEmail ? { problem: 'email_beside' } : { addresses };
  // An e-mail address anywhere in a sentence is what it meant; other readings only for a lone word.
  if (hasEmail) return { problem: 'email' };
  const problem = meaningful.length === 1 ? problemOf(meaningful[0] as string) : undefined;
  return problem ? { problem } : { addresses: [line.trim()] };
}
