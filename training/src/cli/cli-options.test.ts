import { describe, expect, it } from 'vitest';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';
import { choiceOption, integerOption, numberOption, parseCommandArgs } from './cli-options.ts';

function usageError(fn: () => unknown): RadLocalError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RadLocalError) return error;
    throw error;
  }
  throw new Error('Expected a CLI_USAGE error, but the call succeeded');
}

describe('cli options', () => {
  const options = { model: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } as const;

  it('parses typed values and positionals', () => {
    const { values, positionals } = parseCommandArgs(['--model', 'm', '--json', 'a.dcm'], options, 'HELP', true);
    expect(values).toEqual({ model: 'm', json: true });
    expect(positionals).toEqual(['a.dcm']);
  });

  it('an unknown option is a CLI_USAGE error carrying the help text', () => {
    const error = usageError(() => parseCommandArgs(['--modle', 'm'], options, 'HELP TEXT'));
    expect(error.code).toBe('CLI_USAGE');
    expect(error.message).toContain("'--modle'");
    expect(error.message.endsWith('HELP TEXT')).toBe(true);
  });

  it('integers: fallback, bounds and junk', () => {
    expect(integerOption('--epochs', undefined, 12)).toBe(12);
    expect(integerOption('--epochs', '3', 12)).toBe(3);
    expect(integerOption('--seed', '0', 1, 0)).toBe(0);
    expect(usageError(() => integerOption('--epochs', '0', 12)).message).toBe('Expected --epochs to be an integer ≥ 1, but got "0".');
    expect(usageError(() => integerOption('--epochs', '2.5', 12)).code).toBe('CLI_USAGE');
    expect(usageError(() => integerOption('--epochs', '', 12)).code).toBe('CLI_USAGE');
  });

  it('numbers: fallback, bounds and junk', () => {
    expect(numberOption('--lr', undefined, 0.002, 0)).toBe(0.002);
    expect(numberOption('--lr', '1e-3', 0.002, 0)).toBe(0.001);
    expect(numberOption('--holdout', '-1', 0.5)).toBe(-1);
    expect(usageError(() => numberOption('--lr', '-1', 0.002, 0)).message).toBe('Expected --lr to be a number ≥ 0, but got "-1".');
    expect(usageError(() => numberOption('--lr', 'fast', 0.002)).message).toBe('Expected --lr to be a number, but got "fast".');
  });

  it('choices', () => {
    expect(choiceOption('--split', undefined, ['test', 'all'] as const, 'test')).toBe('test');
    expect(choiceOption('--split', 'all', ['test', 'all'] as const, 'test')).toBe('all');
    expect(usageError(() => choiceOption('--split', 'val', ['test', 'all'] as const, 'test')).message).toBe(
      'Expected --split to be one of test, all, but got "val".',
    );
  });
});
