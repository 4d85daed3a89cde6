/**
 * core/ runs unchanged in Node and in the browser (DESIGN.md). This test scans every source
 * file under core/ and fails on imports of Node built-ins, React, DOM-only libraries or
 * tfjs-node, and on DOM-only globals.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './fixtures/external-fixtures.ts';

const CORE = join(REPO_ROOT, 'core');
const FORBIDDEN_PACKAGES = ['react', 'react-dom', 'cornerstone-core', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Globals that exist only in a DOM window (workers and Node have none of them). */
const DOM_GLOBALS = ['document', 'window', 'localStorage', 'sessionStorage', 'HTMLElement', 'HTMLCanvasElement', 'navigator.serviceWorker'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|mjs)$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

export function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const pattern = /(?:^|\n)\s*(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
  for (const match of source.matchAll(pattern)) {
    const spec = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (spec) specifiers.push(spec);
  }
  return specifiers;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

describe('core/ import boundary', () => {
  const files = sourceFiles(CORE);

  it('scans a non-empty core/', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('the scanner recognises the import forms it guards against', () => {
    expect(importsOf(`import fs from 'node:fs';\nimport { x } from "react";\nconst m = await import('path');\nimport 'cornerstone-core';`)).toEqual([
      'node:fs',
      'react',
      'path',
      'cornerstone-core',
    ]);
  });

  for (const file of files) {
    const name = relative(REPO_ROOT, file);
    it(`${name} imports nothing Node-only, DOM-only or React`, () => {
      const source = readFileSync(file, 'utf8');
      const bad = importsOf(source).filter((spec) => {
        if (spec.startsWith('.')) return false;
        return NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(packageName(spec)) || FORBIDDEN_PACKAGES.includes(packageName(spec));
      });
      expect(bad, `${name} must stay isomorphic`).toEqual([]);
      const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      const globals = DOM_GLOBALS.filter((g) => new RegExp(`(^|[^.\\w])${g.replace('.', '\\.')}\\b`).test(code));
      expect(globals, `${name} must not touch DOM-only globals`).toEqual([]);
    });
  }
});
