/**
 * Reading a JSON document the project defines with a zod schema (the model card, the site
 * profile): bytes, text or an already parsed value in; the typed value out, or one typed error
 * that names the first failing field ("… is invalid at "thresholds.nodule": …") with every
 * problem in its details.
 */
import type { z } from 'zod';
import { RadLocalError, type ErrorCode } from '../errors/radlocal-error.ts';

/**
 * @param what the document's name in messages, e.g. "model card".
 * @param prepare applied to the parsed JSON before validation (e.g. a schema-version migration).
 * @throws RadLocalError `code` for invalid JSON or a value the schema refuses.
 */
export function parseDocument<T>(input: unknown, schema: z.ZodType<T>, code: ErrorCode, what: string, prepare: (json: unknown) => unknown = (json) => json): T {
  let json = input;
  if (input instanceof Uint8Array) json = new TextDecoder().decode(input);
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch (error) {
      throw new RadLocalError(code, `The ${what} is not valid JSON: ${(error as Error).message}.`, { cause: error });
    }
  }
  const result = schema.safeParse(prepare(json));
  if (result.success) return result.data;
  const issues = result.error.issues;
  const first = issues[0];
  const field = first && first.path.length > 0 ? first.path.map(String).join('.') : '(root)';
  throw new RadLocalError(
    code,
    `The ${what} is invalid at "${field}": ${first?.message ?? 'unknown problem'}.` + (issues.length > 1 ? ` (${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : ''),
    { details: { field, issues: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) } },
  );
}
