/**
 * Vite plugin: makes zod start with `jitless: true` in every bundle (page and workers).
 *
 * zod 4 probes once for `new Function` to enable its JIT. Under our CSP (no 'unsafe-eval') the
 * probe is refused and zod falls back to its interpreter, but the browser still reports a
 * `script-src` violation for it — noise that would hide a real eval attempt in the privacy audit.
 * zod reads its defaults from `globalThis.__zod_globalConfig`; this plugin seeds that object with
 * `{ jitless: true }` where zod creates it, so no code path can forget to call z.config().
 * Fails the build if zod changes that line (then find the new hook rather than drop the check).
 */
import type { Plugin } from 'vite';

const TARGET = /[\\/]zod[\\/]v4[\\/]core[\\/]core\.js$/;
const CREATION = '(_a.__zod_globalConfig = {})';

export function zodJitlessPlugin(): Plugin {
  return {
    name: 'radlocal:zod-jitless',
    transform(code, id) {
      if (!TARGET.test(id.split('?')[0] ?? '')) return null;
      if (!code.includes(CREATION)) {
        this.error(`Expected zod's core.js to create its global config with ${CREATION}; zod changed: update web/build/zod-jitless-plugin.ts`);
      }
      return { code: code.replace(CREATION, '(_a.__zod_globalConfig = { jitless: true })'), map: null };
    },
  };
}
