import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Where a command reads and writes: JSON lines on stdout, human messages on stderr. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** One row of the command table (src/cli/commands.ts). `run` answers the exit code. */
export interface CliCommand {
  /** One line for `hotline help`. */
  summary: string;
  /** The synopsis lines, for `--help` and after a usage error. */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Bad arguments: the runner prints the message and the command's usage, and exits 1. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** `parseArgs` that refuses unknown flags and missing values as usage errors. */
export function parseCommandArgs<const T extends Options>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
