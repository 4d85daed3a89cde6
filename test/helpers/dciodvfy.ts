/**
 * dciodvfy (Debian `dicom3tools`, installed by `.ci/run`) as a test oracle for DICOM that
 * RadLocal writes: checks a file against its IOD and returns the conformance errors and the
 * advisory warnings, one line each. Reusable for any writer (synth images, SR):
 *
 *   const result = await dciodvfy(bytes);            // or a file path
 *   expect(result.errors).toEqual([]);
 *
 * Skip a suite with `missingReferenceTools(['dciodvfy'])` / `skipMessage` from ./reference-tools.ts.
 */
import { writeFileSync } from 'node:fs';
import { runTool, workPath } from './reference-tools.ts';

export interface DciodvfyResult {
  /** Lines starting "Error" (conformance errors), without the "Error - " prefix. */
  errors: string[];
  /** Lines starting "Warning" (advisory), without the "Warning - " prefix. */
  warnings: string[];
  /** Everything dciodvfy printed (its first line names the IOD it checked against). */
  output: string;
}

export async function dciodvfy(file: Uint8Array | string, name = 'checked.dcm'): Promise<DciodvfyResult> {
  let path = file as string;
  if (typeof file !== 'string') {
    path = workPath(name);
    writeFileSync(path, file);
  }
  const { output } = await runTool('dciodvfy', [path]);
  const lines = output.split('\n').map((l) => l.trim());
  const pick = (prefix: string): string[] => [...new Set(lines.filter((l) => l.startsWith(prefix)).map((l) => l.replace(/^(Error|Warning)\s*-\s*/, '')))];
  return { errors: pick('Error'), warnings: pick('Warning'), output };
}
