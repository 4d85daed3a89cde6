/**
 * The reference DICOM toolkits as test oracles (Debian dcmtk, libgdcm-tools; `.ci/run`
 * installs them): decode a file with the reference into native explicit VR little endian, and
 * encode test images with dcmtk's own JPEG encoders. Tools run as child processes, at most
 * `REFERENCE_CONCURRENCY` at a time; outputs go to one temporary folder per test run.
 *
 * Which reference decodes what: JPEG (all processes) dcmdjpeg, JPEG-LS dcmdjpls, RLE dcmdrle
 * (dcmtk: IJG / CharLS / own), JPEG 2000 and HTJ2K gdcmconv --raw (OpenJPEG), native syntaxes
 * gdcmconv --raw as well. When the first reference refuses a file, the other toolkit is asked
 * (gdcmconv --raw, or dcmconv +te).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as UID from '../../core/dicom/transfer-syntax-uids.ts';

export const REFERENCE_TOOLS = ['dcmdjpeg', 'dcmdjpls', 'dcmdrle', 'dcmconv', 'dcmcjpeg', 'gdcmconv'] as const;

/** Tools that are not on PATH (empty when the oracle tests can run). */
export function missingReferenceTools(tools: readonly string[] = REFERENCE_TOOLS): string[] {
  return tools.filter((tool) => {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'pipe' });
      return false;
    } catch {
      return true;
    }
  });
}

/** Why a suite skips: names the missing tools and the Debian packages that provide them. */
export function skipMessage(missing: readonly string[]): string {
  return `reference toolkits missing (${missing.join(', ')}): apt-get install dcmtk libgdcm-tools dicom3tools — CI installs them (.ci/run)`;
}

const REFERENCE_CONCURRENCY = 2;
let running = 0;
const queue: Array<() => void> = [];

/** Runs a tool; resolves with its exit status and output, never rejects. */
export function runTool(tool: string, args: readonly string[], timeoutMs = 60_000): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const start = (): void => {
      running++;
      execFile(tool, [...args], { timeout: timeoutMs, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
        running--;
        queue.shift()?.();
        resolve({ ok: !error, output: `${stdout}${stderr}`.trim() || (error ? error.message : '') });
      });
    };
    if (running < REFERENCE_CONCURRENCY) start();
    else queue.push(start);
  });
}

let workDir: string | undefined;
/** One temporary folder per process (test file), removed at exit. */
export function referenceWorkDir(): string {
  if (!workDir) {
    workDir = mkdtempSync(join(tmpdir(), 'radlocal-reference-'));
    const dir = workDir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return workDir;
}

let counter = 0;
/** A fresh path in the work folder. */
export function workPath(name: string): string {
  return join(referenceWorkDir(), `${++counter}-${basename(name).replace(/[^\w.+-]/g, '_')}`);
}

const JPEG_FAMILY = new Set([UID.JPEG_BASELINE_8BIT, UID.JPEG_EXTENDED_12BIT, UID.JPEG_SPECTRAL_SELECTION, UID.JPEG_FULL_PROGRESSION, UID.JPEG_LOSSLESS_PROCESS_14, UID.JPEG_LOSSLESS_SV1]);
const JPEG_LS = new Set([UID.JPEG_LS_LOSSLESS, UID.JPEG_LS_NEAR_LOSSLESS]);

/** The reference command that turns a file of this transfer syntax into native explicit VR little endian. */
export function referenceCommand(transferSyntaxUID: string, input: string, output: string, options: readonly string[] = []): { tool: string; args: string[] } {
  if (JPEG_FAMILY.has(transferSyntaxUID)) return { tool: 'dcmdjpeg', args: [...options, input, output] };
  if (JPEG_LS.has(transferSyntaxUID)) return { tool: 'dcmdjpls', args: [input, output] };
  if (transferSyntaxUID === UID.RLE_LOSSLESS) return { tool: 'dcmdrle', args: [input, output] };
  // Native syntaxes too: dcmconv swaps 32-bit OW pixel data of big-endian files as 16-bit words.
  return { tool: 'gdcmconv', args: ['--raw', input, output] };
}

/** The second opinion when the first reference refuses a file: the other toolkit. */
function fallbackCommand(first: string, input: string, output: string): { tool: string; args: string[] } {
  return first === 'gdcmconv' ? { tool: 'dcmconv', args: ['+te', input, output] } : { tool: 'gdcmconv', args: ['--raw', input, output] };
}

export type ReferenceResult = { ok: true; bytes: Uint8Array; tool: string } | { ok: false; tool: string; message: string };

const decoded = new Map<string, Promise<ReferenceResult>>();

/**
 * Decodes `input` (a file path) with the reference for its transfer syntax; cached per run.
 * `dcmdjpegOptions` go to dcmdjpeg (e.g. ['+ca'] to always convert YCbCr to RGB).
 */
export function referenceDecode(input: string, transferSyntaxUID: string, dcmdjpegOptions: readonly string[] = [], timeoutMs = 60_000): Promise<ReferenceResult> {
  const key = `${transferSyntaxUID}\n${input}\n${dcmdjpegOptions.join(' ')}`;
  let pending = decoded.get(key);
  if (!pending) {
    const output = workPath(`${basename(input)}.ref.dcm`);
    const run = async (command: { tool: string; args: string[] }): Promise<ReferenceResult> => {
      const r = await runTool(command.tool, command.args, timeoutMs);
      if (!r.ok) return { ok: false, tool: command.tool, message: r.output.split('\n').slice(0, 3).join(' | ') };
      try {
        return { ok: true, tool: command.tool, bytes: new Uint8Array(readFileSync(output)) };
      } catch (error) {
        return { ok: false, tool: command.tool, message: `no output file (${(error as Error).message})` };
      }
    };
    const first = referenceCommand(transferSyntaxUID, input, output, dcmdjpegOptions);
    pending = run(first).then(async (r) => {
      if (r.ok) return r;
      const second = await run(fallbackCommand(first.tool, input, output));
      return second.ok ? second : { ok: false, tool: `${r.tool}, ${second.tool}`, message: `${r.message} || ${second.message}` };
    });
    decoded.set(key, pending);
  }
  return pending;
}

/** Decodes in-memory bytes with the reference (writes them to the work folder first). */
export function referenceDecodeBytes(bytes: Uint8Array, transferSyntaxUID: string, name = 'input.dcm', timeoutMs = 60_000): Promise<ReferenceResult> {
  const input = workPath(name);
  writeFileSync(input, bytes);
  return referenceDecode(input, transferSyntaxUID, [], timeoutMs);
}

/** Encodes a file with dcmcjpeg (e.g. ['+e1']) and returns the encoded file's bytes; throws with the tool's message on failure. */
export async function dcmcjpeg(input: Uint8Array, options: readonly string[], name = 'source.dcm'): Promise<Uint8Array> {
  const source = workPath(name);
  const output = workPath(`${name}.${options.join('').replace(/[^\w]/g, '')}.dcm`);
  writeFileSync(source, input);
  const r = await runTool('dcmcjpeg', [...options, source, output]);
  if (!r.ok) throw new Error(`dcmcjpeg ${options.join(' ')} failed: ${r.output}`);
  return new Uint8Array(readFileSync(output));
}
