/**
 * Vite plugin: sends RadLocal's security headers (CSP, Referrer-Policy, nosniff,
 * Permissions-Policy, COOP, CORP) on every response of `vite preview` (= `npm start`) and the
 * dev server, and writes the CSP and referrer policy as `<meta>` tags into the built
 * index.html, so the policy also holds when dist/web is served by a plain file server.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { devCsp, headerCsp, metaCsp, securityHeaders } from './security-policy.ts';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

function headerMiddleware(headers: Record<string, string>): Middleware {
  return (_req, res, next) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    next();
  };
}

/** Inserts the policy `<meta>` tags right after `<meta charset>` (which must stay first), before every script. */
export function injectPolicyMeta(html: string): string {
  const tags =
    `\n    <meta http-equiv="Content-Security-Policy" content="${metaCsp()}" />` +
    '\n    <meta name="referrer" content="no-referrer" />';
  const charset = /<meta charset="[^"]*"\s*\/?>/i;
  if (!charset.test(html)) throw new Error('Expected <meta charset> in index.html, but found none');
  return html.replace(charset, (match) => match + tags);
}

export function securityHeadersPlugin(): Plugin {
  let command: 'build' | 'serve' = 'build';
  const devNonce = randomBytes(18).toString('base64url');
  const devHeaders = securityHeaders(headerCsp(devCsp(devNonce)));
  const previewHeaders = securityHeaders();
  return {
    name: 'radlocal:security-headers',
    config(_config, env) {
      command = env.command;
      return {
        // Only our own origin may read our responses (Vite's default allows any localhost origin).
        preview: { cors: false },
        server: { cors: false },
        html: env.command === 'serve' ? { cspNonce: devNonce } : {},
      };
    },
    configureServer(server) {
      server.middlewares.use(headerMiddleware(devHeaders));
    },
    configurePreviewServer(server) {
      // Registered before Vite's static middleware, so 404s carry the headers too.
      server.middlewares.use(headerMiddleware(previewHeaders));
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        return command === 'build' ? injectPolicyMeta(html) : html;
      },
    },
  };
}
