import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.ts';

const COMMANDS = ['inspect', 'train', 'predict', 'evaluate', 'calibrate', 'synth', 'refit-card', 'import-model'] as const;

describe('radlocal <command> --help', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(COMMANDS)('%s prints its own help and exits 0, before any option is checked', async (name) => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    // A missing required option and an unknown one would each be CLI_USAGE (exit 2) without --help.
    expect(await main([name, '--no-such-option', '--help'])).toBe(0);
    expect(await main([name, '-h'])).toBe(0);
    const [long, short] = out;
    expect(long).toMatch(new RegExp(`^Usage: radlocal ${name} `));
    expect(long!.endsWith('\n') && !long!.endsWith('\n\n')).toBe(true);
    expect(short).toBe(long);
  });

  it('without --help an unknown option is still CLI_USAGE', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['predict', '--no-such-option'])).toBe(2);
  });
});
