import { readFile } from 'node:fs/promises';
import { parseEnv } from '../config.ts';
import { computeSignals, type SignalLimits } from '../signals/compute-signals.ts';
import { SignalsError } from '../signals/signals-error.ts';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.ts';

/**
 * `hotline hash FILE...`: the signals of each file, read into memory and hashed there, one JSON
 * line per file: `{"file","sha256","sha1","md5","blockhash","pdq","pdqQuality","width","height",
 * "mediaType"}`, or `{"file","error"}` where error is a refusal code (too_large, too_many_pixels,
 * unsupported_media, corrupt) or `unreadable`. Limits are those of the triage pipeline
 * (HOTLINE_FETCH_MAX_BYTES, HOTLINE_MAX_PIXELS). Exit 0 when every file was hashed, 1 otherwise.
 */
async function hash(args: string[], io: CliIo): Promise<number> {
  const files = parseCommandArgs(args, {}).positionals;
  if (files.length === 0) throw new UsageError('hash needs at least one FILE');
  const env = parseEnv(process.env);
  const limits: SignalLimits = { maxBytes: env.HOTLINE_FETCH_MAX_BYTES, maxPixels: env.HOTLINE_MAX_PIXELS };
  let failures = 0;
  for (const file of files) {
    const line = await hashFile(file, limits, io);
    if ('error' in line) failures++;
    io.stdout.write(`${JSON.stringify(line)}\n`);
  }
  return failures === 0 ? 0 : 1;
}

async function hashFile(file: string, limits: SignalLimits, io: CliIo): Promise<Record<string, unknown>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    io.stderr.write(`hash: ${file}: ${(error as NodeJS.ErrnoException).code ?? 'cannot read'}\n`);
    return { file, error: 'unreadable' };
  }
  try {
    const s = await computeSignals(bytes, limits);
    return {
      file,
      sha256: s.sha256,
      sha1: s.sha1,
      md5: s.md5,
      blockhash: s.blockhash,
      pdq: s.pdq,
      pdqQuality: s.pdqQuality,
      width: s.width,
      height: s.height,
      mediaType: s.mediaType,
    };
  } catch (error) {
    if (!(error instanceof SignalsError)) throw error;
    io.stderr.write(`hash: ${file}: refused (${error.reason}): ${error.message}\n`);
    return { file, error: error.reason };
  } finally {
    bytes.fill(0);
  }
}

export default {
  summary: 'exact and perceptual signals of files',
  usage: 'usage: hotline hash FILE...\n',
  run: hash,
} satisfies CliCommand;
