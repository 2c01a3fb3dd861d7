import { existsSync } from 'node:fs';

/**
 * The operator CLI. `hotline <command> ...` runs the default export of ./<command>.ts:
 * `(args, io) => Promise<exitCode>`. JSON lines on stdout, human messages on stderr;
 * exit 0 on success, 1 on bad input, 2 on other failure.
 */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}
export type CliCommand = (args: string[], io: CliIo) => Promise<number>;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  const file = command && /^[a-z][a-z-]*$/.test(command) ? new URL(`./${command}.ts`, import.meta.url) : undefined;
  if (!file || command === 'index' || !existsSync(file)) {
    io.stderr.write(`usage: hotline <command> [args]\nunknown command: ${command ?? '(none)'}\n`);
    return 1;
  }
  const module = (await import(file.href)) as { default: CliCommand };
  return module.default(args, io);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`hotline: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
