import { describe, expect, it } from 'vitest';
import { expectTypedError } from '../../../test/typed-error-code.ts';
import { choiceOption, integerOption, numberOption, parseCommandArgs } from './cli-options.ts';

describe('cli options', () => {
  const options = { model: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } as const;

  it('parses typed values and positionals', () => {
    const { values, positionals } = parseCommandArgs(['--model', 'm', '--json', 'a.dcm'], options, 'HELP', true);
    expect(values).toEqual({ model: 'm', json: true });
    expect(positionals).toEqual(['a.dcm']);
  });

  it('an unknown option is a CLI_USAGE error carrying the help text', async () => {
    const error = await expectTypedError(() => parseCommandArgs(['--modle', 'm'], options, 'HELP TEXT'), 'CLI_USAGE', "'--modle'");
    expect(error.message.endsWith('HELP TEXT')).toBe(true);
  });

  it('integers: fallback, bounds and junk', async () => {
    expect(integerOption('--epochs', undefined, 12)).toBe(12);
    expect(integerOption('--epochs', '3', 12)).toBe(3);
    expect(integerOption('--seed', '0', 1, 0)).toBe(0);
    expect((await expectTypedError(() => integerOption('--epochs', '0', 12), 'CLI_USAGE')).message).toBe('Expected --epochs to be an integer ≥ 1, but got "0".');
    await expectTypedError(() => integerOption('--epochs', '2.5', 12), 'CLI_USAGE');
    await expectTypedError(() => integerOption('--epochs', '', 12), 'CLI_USAGE');
  });

  it('numbers: fallback, bounds and junk', async () => {
    expect(numberOption('--lr', undefined, 0.002, 0)).toBe(0.002);
    expect(numberOption('--lr', '1e-3', 0.002, 0)).toBe(0.001);
    expect(numberOption('--holdout', '-1', 0.5)).toBe(-1);
    expect((await expectTypedError(() => numberOption('--lr', '-1', 0.002, 0), 'CLI_USAGE')).message).toBe('Expected --lr to be a number ≥ 0, but got "-1".');
    expect((await expectTypedError(() => numberOption('--lr', 'fast', 0.002), 'CLI_USAGE')).message).toBe('Expected --lr to be a number, but got "fast".');
  });

  it('choices', async () => {
    expect(choiceOption('--split', undefined, ['test', 'all'] as const, 'test')).toBe('test');
    expect(choiceOption('--split', 'all', ['test', 'all'] as const, 'test')).toBe('all');
    expect((await expectTypedError(() => choiceOption('--split', 'val', ['test', 'all'] as const, 'test'), 'CLI_USAGE')).message).toBe(
      'Expected --split to be one of test, all, but got "val".',
    );
  });
});
