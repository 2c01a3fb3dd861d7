import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { canonicaliseUrl } from '../urls/canonical-url.ts';
import { readPastedLine } from '../urls/extract-urls.ts';
import { type CliCommand, type CliIo, parseCommandArgs } from './command.ts';

/** Output is written in chunks of about this size: one write per line is what makes batches slow. */
const FLUSH_BYTES = 64 * 1024;

function describeAddress(input: string, address: string): { ok: boolean; line: string } {
  const result = canonicaliseUrl(address);
  if (!result.ok) return { ok: false, line: JSON.stringify({ input, error: result.error }) };
  const { canonical, url, dedupKey, host, registrableDomain, isIp, isOnion, isLocal } = result;
  const fields = { input, canonical, url, dedupKey, host, registrableDomain, isIp, isOnion, isLocal };
  return { ok: true, line: JSON.stringify(fields) };
}

/** An input read as the form and the API read a pasted line: one result per address it holds. */
function describe(input: string): { ok: boolean; line: string }[] {
  const pasted = readPastedLine(input);
  if ('problem' in pasted) return [{ ok: false, line: JSON.stringify({ input, error: pasted.problem }) }];
  return pasted.addresses.map((address) => describeAddress(input, address));
}

/** Writes lines in large chunks, waiting when the stream asks for it. */
class BatchWriter {
  private pending: string[] = [];
  private size = 0;

  constructor(private readonly out: NodeJS.WritableStream) {}

  async line(text: string): Promise<void> {
    this.pending.push(text);
    this.size += text.length + 1;
    if (this.size >= FLUSH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.size = 0;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
}

async function* inputsOf(args: string[], stdin: NodeJS.ReadableStream): AsyncIterable<string> {
  if (args.length > 0) {
    yield* args;
    return;
  }
  for await (const line of createInterface({ input: stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() !== '') yield line;
  }
}

/**
 * `hotline normalize [URL...]`: reads each argument, or each non-blank line of stdin when no
 * argument is given, as the form reads a pasted line (readPastedLine), and canonicalises each address
 * in it. One JSON line per address (a line with several gives several, each with the line as input):
 * `{"input","canonical","url","dedupKey","host","registrableDomain","isIp","isOnion","isLocal"}`
 * or `{"input","error"}`. Every input gets its line; the exit code is 0 when all were accepted,
 * 1 when any was refused (bad input), with a count on stderr.
 */
async function normalize(args: string[], io: CliIo): Promise<number> {
  const addresses = parseCommandArgs(args, {}).positionals;
  const writer = new BatchWriter(io.stdout);
  let total = 0;
  let refused = 0;
  for await (const input of inputsOf(addresses, io.stdin)) {
    const results = describe(input);
    total++;
    if (results.some((result) => !result.ok)) refused++;
    for (const { line } of results) await writer.line(line);
  }
  await writer.flush();
  if (refused > 0) io.stderr.write(`normalize: ${refused} of ${total} inputs refused\n`);
  return refused > 0 ? 1 : 0;
}

export default {
  summary: 'canonical form, URL and dedup key of each address (or one a line on stdin)',
  usage:
    'usage: hotline normalize [URL...]   (no URL: one a line on stdin; `--` before an address that starts with -)\n',
  run: normalize,
} satisfies CliCommand;
