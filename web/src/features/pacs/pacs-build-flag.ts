/**
 * Whether this build talks to a PACS, fixed at build time from RADLOCAL_PACS_URL /
 * RADLOCAL_PACS_STOW (web/build/pacs/dicomweb-proxy-plugin.ts). Undefined outside a Vite
 * build (unit tests): no PACS.
 */
import type { PacsStatus } from './pacs-client.ts';

declare const __RADLOCAL_PACS__: PacsStatus | undefined;

export const PACS_AT_BUILD: PacsStatus = typeof __RADLOCAL_PACS__ === 'undefined' ? { configured: false, stow: false } : __RADLOCAL_PACS__;
