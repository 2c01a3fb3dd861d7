import normalizeUrl from 'normalize-url';
import { canonicaliseUrl } from '../../src/urls/canonical-url.ts';
import { seededRandom } from '../../tests/support/seeded-random.ts';

/**
 * Throughput of canonicaliseUrl against bare `new URL(x).href` (the floor: parsing alone) and
 * normalize-url (a peer that also strips www. and tracking parameters), on the same 200,000
 * generated addresses in the same run. Every address has a scheme so that the floor never throws.
 */

const COUNT = 200_000;
const WARM_UP = 20_000;
const ROUNDS = 5;

const WORDS = [
  'photo',
  'gallery',
  'share',
  'cloud',
  'img',
  'forum',
  'board',
  'media',
  'pics',
  'host',
  'files',
  'up',
  'view',
  'album',
  'news',
];
const SUFFIXES = ['com', 'be', 'net', 'org', 'co.uk', 'io', 'ru', 'nl', 'de', 'github.io', 'com.br', 'xyz'];
const IDN_LABELS = ['münchen', 'bücher', 'café', 'пример', '例え', 'ελληνικά'];
const SEGMENTS = [
  'index.html',
  'view',
  'p',
  'album',
  'u',
  '2024',
  'image.jpg',
  'a b',
  'caf%C3%A9',
  '%7Euser',
  'x%41y',
  'thread',
];
const PARAMS = [
  'utm_source=newsletter',
  'utm_medium=email',
  'fbclid=IwAR3x',
  'gclid=Cj0K',
  'id=',
  'page=',
  'sort=new',
  'ref=home',
  'q=%20a',
];

function generateAddresses(count: number, seed = 20240601): string[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number) => random() < p;
  const ipv4 = () => {
    const octets = [
      1 + Math.floor(random() * 222),
      Math.floor(random() * 256),
      Math.floor(random() * 256),
      Math.floor(random() * 256),
    ];
    const form = random();
    if (form < 0.7) return octets.join('.');
    const value =
      (octets[0] as number) * 2 ** 24 +
      (octets[1] as number) * 65536 +
      (octets[2] as number) * 256 +
      (octets[3] as number);
    if (form < 0.8) return String(value);
    if (form < 0.9) return `0x${value.toString(16)}`;
    return octets.map((octet) => `0${octet.toString(8)}`).join('.');
  };
  const name = () => {
    const label = chance(0.05) ? pick(IDN_LABELS) : `${pick(WORDS)}${chance(0.5) ? Math.floor(random() * 1000) : ''}`;
    const sub = chance(0.4) ? 'www.' : chance(0.15) ? `${pick(WORDS)}.` : '';
    const host = `${sub}${label}.${pick(SUFFIXES)}`;
    return chance(0.1) ? host.toUpperCase() : host;
  };
  const addresses: string[] = [];
  for (let i = 0; i < count; i++) {
    const scheme = chance(0.6) ? 'https' : chance(0.95) ? 'http' : 'HTTP';
    const host = chance(0.06) ? ipv4() : name();
    const port = chance(0.08) ? pick([':8080', ':443', ':80', ':3000']) : '';
    const depth = Math.floor(random() * 4);
    let path = '';
    for (let d = 0; d < depth; d++)
      path += `/${chance(0.3) ? pick(SEGMENTS) : Math.floor(random() * 100000).toString(36)}`;
    if (chance(0.3)) path += '/';
    let query = '';
    if (chance(0.35)) {
      const params: string[] = [];
      const n = 1 + Math.floor(random() * 4);
      for (let p = 0; p < n; p++) {
        const param = pick(PARAMS);
        params.push(param.endsWith('=') ? `${param}${Math.floor(random() * 9999)}` : param);
      }
      query = `?${params.join('&')}`;
    }
    const fragment = chance(0.1) ? `#${pick(['top', 'comments', 'p2'])}` : '';
    addresses.push(`${scheme}://${host}${port}${path || (chance(0.5) ? '/' : '')}${query}${fragment}`);
  }
  return addresses;
}

type Subject = { name: string; run: (address: string) => string };

const subjects: Subject[] = [
  {
    name: 'canonicaliseUrl',
    run: (address) => {
      const result = canonicaliseUrl(address);
      return result.ok ? result.dedupKey : result.error;
    },
  },
  { name: 'new URL().href', run: (address) => new URL(address).href },
  { name: 'normalize-url', run: (address) => normalizeUrl(address) },
];

function timeRun(subject: Subject, addresses: readonly string[]): number {
  let checksum = 0;
  const start = process.hrtime.bigint();
  for (const address of addresses) checksum += subject.run(address).length;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // Using the checksum keeps the work observable, so the optimiser cannot drop it.
  return checksum < 0 ? Number.NaN : seconds;
}

/**
 * Each round runs every subject over a fresh set of addresses (no subject profits from what it saw
 * in an earlier round), the order rotating between rounds; a subject's time is its best round,
 * which on a shared machine is the one least disturbed.
 */
function measure(): Map<string, number> {
  const best = new Map(subjects.map((subject) => [subject.name, Number.POSITIVE_INFINITY]));
  for (let round = 0; round < ROUNDS; round++) {
    const addresses = generateAddresses(COUNT, 20240601 + round);
    for (let turn = 0; turn < subjects.length; turn++) {
      const subject = subjects[(turn + round) % subjects.length] as Subject;
      best.set(subject.name, Math.min(best.get(subject.name) as number, timeRun(subject, addresses)));
    }
  }
  return best;
}

export default async function benchCanonical(): Promise<void> {
  const warmUp = generateAddresses(WARM_UP, 1);
  for (const subject of subjects) timeRun(subject, warmUp);
  const seconds = measure();
  const perSecond = (name: string) => COUNT / (seconds.get(name) as number);
  for (const subject of subjects) {
    const time = seconds.get(subject.name) as number;
    console.log(
      JSON.stringify({
        bench: 'canonical',
        subject: subject.name,
        urls: COUNT,
        rounds: ROUNDS,
        seconds: Number(time.toFixed(3)),
        urlsPerSecond: Math.round(COUNT / time),
      }),
    );
  }
  const ours = perSecond('canonicaliseUrl');
  console.log(
    JSON.stringify({
      bench: 'canonical',
      urlsPerSecond: Math.round(ours),
      vsNewURL: Number((ours / perSecond('new URL().href')).toFixed(3)),
      vsNormalizeUrl: Number((ours / perSecond('normalize-url')).toFixed(3)),
    }),
  );
}
