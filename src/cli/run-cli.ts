import { ConfigError } from '../config.ts';
import { DomainError, Invalid } from '../errors.ts';
import { translate } from '../http/i18n.ts';
import { type CliIo, UsageError } from './command.ts';
import { commands } from './commands.ts';

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h';

function commandList(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`);
  return `usage: hotline <command> [args]   (hotline <command> --help for its arguments)\n\ncommands:\n${lines.join('\n')}\n`;
}

// Own keys only: `constructor` or `__proto__` is no command.
const commandNamed = (name: string | undefined) =>
  name !== undefined && Object.hasOwn(commands, name) ? commands[name] : undefined;

// An argument after `--` is an operand, even when it reads `--help`.
const asksHelp = (args: string[]) => {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some(isHelp);
};

/** A domain error in English, one line for the error and one per bad field. */
function describeDomainError(error: DomainError): string {
  const lines = [`${error.id}: ${translate('en', error.messageKey)}`];
  const fields = error instanceof Invalid ? error.fields : {};
  for (const [field, key] of Object.entries(fields)) lines.push(`  ${field}: ${translate('en', key)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `hotline <command> [args]`: only the commands of the table are commands. Exit 0 on success, 1 on
 * bad input (usage, configuration, refused by the domain); other failures are thrown for the
 * caller to exit 2.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === 'help' && args[0] !== undefined) return runCli([args[0], '--help'], io);
  if (name === 'help' || isHelp(name)) {
    io.stdout.write(commandList());
    return 0;
  }
  const command = commandNamed(name);
  if (!command) {
    io.stderr.write(`${name === undefined ? 'no command given' : `unknown command: ${name}`}\n${commandList()}`);
    return 1;
  }
  if (asksHelp(args)) {
    io.stdout.write(command.usage);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n${command.usage}`);
      return 1;
    }
    if (error instanceof DomainError) {
      io.stderr.write(describeDomainError(error));
      return 1;
    }
    // The environment is the operator's input too: the problems listed, exit 1, as `npm start` does.
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
