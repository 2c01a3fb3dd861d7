import { runCli } from './run-cli.ts';

/**
 * The operator CLI's entry point. JSON lines on stdout, human messages on stderr; exit 0 on
 * success, 1 on bad input, 2 on other failure.
 */
runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`hotline: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
