/**
 * core/ runs unchanged in Node and in the browser (ARCHITECTURE.md). This test scans every source
 * file under core/ and fails on imports of Node built-ins, React, DOM-only libraries or
 * tfjs-node; and it compiles core/ against ES + WebWorker libs only (core/tsconfig.json), so a
 * DOM-only or Node-only global fails too.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './fixtures/external-fixtures.ts';

const CORE = join(REPO_ROOT, 'core');
const FORBIDDEN_PACKAGES = ['react', 'react-dom', 'cornerstone-core', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Type-checks `files` with core/tsconfig.json's settings (lib ES2023 + WebWorker, no @types); returns the messages. */
function compileWithCoreLibs(files: string[]): string[] {
  const configPath = join(CORE, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`Expected a readable ${configPath}`);
  const program = ts.createProgram(files, parsed.options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${relative(REPO_ROOT, d.file.fileName)}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

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

  it('core/ type-checks against ES + WebWorker only: no DOM-only or Node-only global is used', () => {
    const diagnostics = compileWithCoreLibs(files);
    expect(diagnostics, diagnostics.join('\n')).toEqual([]);
  });

  it('that compile check rejects DOM-only and Node-only globals', () => {
    const probe = join(mkdtempSync(join(tmpdir(), 'radlocal-core-probe-')), 'probe.ts');
    writeFileSync(
      probe,
      [
        'export const a = window.innerWidth;',
        'export const b = document.title;',
        'export const c = localStorage.length;',
        "export const d = Buffer.from('x');",
        'export const e = process.env.HOME;',
        '// allowed everywhere core runs:',
        'export const f = new TextDecoder().decode(new Uint8Array(1));',
        'export const g = globalThis.crypto.subtle;',
        'export const window2 = { width: 1 }.width;',
      ].join('\n'),
    );
    const diagnostics = compileWithCoreLibs([probe]);
    expect(diagnostics.map((d) => d.match(/Cannot find name '(\w+)'/)?.[1])).toEqual(['window', 'document', 'localStorage', 'Buffer', 'process']);
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
    });
  }
});
