/**
 * The one way tests assert a typed error: `expectTypedError(run, code, ...messageParts)` runs
 * `run` (a function, sync or async, or a promise), fails the test unless it throws a
 * RadLocalError with that code whose message contains every part, and returns the error for
 * further checks (details, cause). `codeOf` is the same for tests that compare many codes.
 */
import { expect } from 'vitest';
import { RadLocalError } from '../core/errors/radlocal-error.ts';

/** The RadLocalError `run` throws or rejects with; fails the test when it succeeds or throws anything else. */
export async function typedError(run: (() => unknown) | Promise<unknown>): Promise<RadLocalError> {
  try {
    await (typeof run === 'function' ? run() : run);
  } catch (error) {
    expect(error).toBeInstanceOf(RadLocalError);
    return error as RadLocalError;
  }
  return expect.fail('expected a RadLocalError, but it succeeded');
}

/** Asserts a RadLocalError with `code` whose message contains every part (string or pattern); returns it. */
export async function expectTypedError(run: (() => unknown) | Promise<unknown>, code: string, ...messageParts: (string | RegExp)[]): Promise<RadLocalError> {
  const error = await typedError(run);
  expect(error.code).toBe(code);
  for (const part of messageParts) {
    if (typeof part === 'string') expect(error.message).toContain(part);
    else expect(error.message).toMatch(part);
  }
  return error;
}

/** The RadLocalError code `run` fails with, or 'no error' when it succeeds. */
export async function codeOf(run: (() => unknown) | Promise<unknown>): Promise<string> {
  try {
    await (typeof run === 'function' ? run() : run);
    return 'no error';
  } catch (error) {
    expect(error).toBeInstanceOf(RadLocalError);
    return (error as RadLocalError).code;
  }
}
