/**
 * Counts Content-Security-Policy violations on this page from start-up (every one is an attempt
 * the policy blocked), and reads the policy in force from the `<meta>` tag. Only the directive
 * and the blocked origin are kept, never full URLs (they could embed anything).
 */
import { createStore } from '../../shared/store/create-store.ts';

export interface CspViolation {
  time: number;
  directive: string;
  /** Origin of the blocked resource, or the keyword ('eval', 'inline'…) the browser reports. */
  blocked: string;
}

export const cspViolationStore = createStore<readonly CspViolation[]>([]);

function blockedOrigin(blockedUri: string): string {
  try {
    return new URL(blockedUri).origin;
  } catch {
    return blockedUri.slice(0, 40);
  }
}

if (typeof document !== 'undefined') {
  document.addEventListener('securitypolicyviolation', (event) => {
    const violation = { time: Date.now(), directive: event.effectiveDirective, blocked: blockedOrigin(event.blockedURI) };
    cspViolationStore.set((list) => [...list, violation]);
  });
}

/** The policy from `<meta http-equiv="Content-Security-Policy">`, or null when there is none (dev server: header only). */
export function readMetaCsp(doc: Document = document): string | null {
  return doc.querySelector('meta[http-equiv="Content-Security-Policy" i]')?.getAttribute('content') ?? null;
}
