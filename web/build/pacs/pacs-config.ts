/**
 * The PACS connection of RadLocal's server, parsed once from the environment:
 * - RADLOCAL_PACS_URL: the PACS's DICOMweb root (http or https), e.g. https://pacs.example/dicom-web
 * - RADLOCAL_PACS_USER / RADLOCAL_PACS_PASSWORD: HTTP basic auth, kept on the server
 * - RADLOCAL_PACS_STOW=1: allow storing results (STOW-RS); off by default
 * - RADLOCAL_PACS_TIMEOUT_MS (default 15000), RADLOCAL_PACS_MAX_MB (default 512): limits
 * No RADLOCAL_PACS_URL → null: no proxy route and no PACS view.
 */
import { z } from 'zod';

export interface PacsConfig {
  /** DICOMweb root without trailing slash. */
  baseUrl: URL;
  /** "Basic …" header value, or null without credentials. */
  authorization: string | null;
  stow: boolean;
  /** Idle time allowed while connecting to or waiting on the PACS, ms. */
  timeoutMs: number;
  /** Largest response (or STOW upload) forwarded, bytes. */
  maxBytes: number;
}

const EnvSchema = z.object({
  RADLOCAL_PACS_URL: z
    .string()
    .url()
    .refine((u) => /^https?:$/.test(new URL(u).protocol), 'expected an http:// or https:// URL')
    .refine((u) => new URL(u).username === '' && new URL(u).password === '', 'expected no credentials in the URL: use RADLOCAL_PACS_USER / RADLOCAL_PACS_PASSWORD')
    .refine((u) => new URL(u).search === '' && new URL(u).hash === '', 'expected no query or fragment'),
  RADLOCAL_PACS_USER: z.string().optional(),
  RADLOCAL_PACS_PASSWORD: z.string().optional(),
  RADLOCAL_PACS_STOW: z.enum(['0', '1']).optional(),
  RADLOCAL_PACS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).optional(),
  RADLOCAL_PACS_MAX_MB: z.coerce.number().int().min(1).max(16_384).optional(),
});

/**
 * @throws Error naming the variable when a value is malformed (the server refuses to start
 *   rather than talk to a PACS it was not meant to)
 */
export function readPacsConfig(env: NodeJS.ProcessEnv = process.env): PacsConfig | null {
  if (!env.RADLOCAL_PACS_URL) return null;
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Expected a valid PACS configuration, but ${String(issue?.path[0] ?? 'a RADLOCAL_PACS_ variable')}: ${issue?.message ?? 'is invalid'}`);
  }
  const e = parsed.data;
  const baseUrl = new URL(e.RADLOCAL_PACS_URL.replace(/\/+$/, ''));
  const user = e.RADLOCAL_PACS_USER;
  const authorization = user ? `Basic ${Buffer.from(`${user}:${e.RADLOCAL_PACS_PASSWORD ?? ''}`).toString('base64')}` : null;
  return {
    baseUrl,
    authorization,
    stow: e.RADLOCAL_PACS_STOW === '1',
    timeoutMs: e.RADLOCAL_PACS_TIMEOUT_MS ?? 15_000,
    maxBytes: (e.RADLOCAL_PACS_MAX_MB ?? 512) * 1024 * 1024,
  };
}
