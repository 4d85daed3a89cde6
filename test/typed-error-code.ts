/** Test helper: awaits `promise` and returns the RadLocalError code it rejects with ('no error' if it resolves). */
import { expect } from 'vitest';
import { RadLocalError } from '../core/errors/radlocal-error.ts';

export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    expect(error).toBeInstanceOf(RadLocalError);
    return (error as RadLocalError).code;
  }
}
