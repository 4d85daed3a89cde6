/**
 * Shared option parsing for the `radlocal` commands: one place that turns argv into typed
 * values and every malformed option into a `CLI_USAGE` error that names the option, says what
 * was expected and what came, and ends with the command's help text.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses `args` strictly against `options`. Unknown options and missing values become
 * CLI_USAGE errors carrying `help` (`--help` itself never gets here: main.ts prints the
 * command's HELP before running it).
 */
export function parseCommandArgs<const O extends OptionsConfig>(args: string[], options: O, help: string, allowPositionals = false) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    throw new RadLocalError('CLI_USAGE', `${(error as Error).message}\n\n${help}`);
  }
}

/** An integer option ≥ `min`; `fallback` when absent. */
export function integerOption(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min) {
    throw new RadLocalError('CLI_USAGE', `Expected ${name} to be an integer ≥ ${min}, but got "${value}".`);
  }
  return n;
}

/** A finite number option, optionally ≥ `min`; `fallback` when absent. */
export function numberOption(name: string, value: string | undefined, fallback: number, min = -Infinity): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min) {
    const bound = min === -Infinity ? 'a number' : `a number ≥ ${min}`;
    throw new RadLocalError('CLI_USAGE', `Expected ${name} to be ${bound}, but got "${value}".`);
  }
  return n;
}

/** One of `choices`; `fallback` when absent. */
export function choiceOption<C extends string>(name: string, value: string | undefined, choices: readonly C[], fallback: C): C {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new RadLocalError('CLI_USAGE', `Expected ${name} to be one of ${choices.join(', ')}, but got "${value}".`);
  }
  return value as C;
}
