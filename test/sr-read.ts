/**
 * Test helper: reads a DICOM SR's content tree back with dicom-parser (an independent reader,
 * not our writer) into plain objects, and runs dcmtk's dsrdump on it (dciodvfy: ./helpers/dciodvfy.ts).
 */
import { spawnSync } from 'node:child_process';
import * as dicomParserModule from 'dicom-parser';
import type { DataSet } from 'dicom-parser';

// A CommonJS bundle: Node's ESM loader exposes it as `default` only.
const dicomParser: typeof dicomParserModule = (dicomParserModule as unknown as { default?: typeof dicomParserModule }).default ?? dicomParserModule;

export interface SrItem {
  relationship: string | undefined;
  valueType: string | undefined;
  name: string | undefined;
  /** CODE: the concept's meaning; TEXT/UIDREF: the text; NUM: the FloatingPointValue (full precision). */
  value: string | number | undefined;
  /** NUM only: the Numeric Value (DS) as written. */
  numericText?: string;
  /** IMAGE only. */
  referencedSOPInstanceUID?: string;
  children: SrItem[];
}

function meaning(ds: DataSet | undefined, tag: string): string | undefined {
  return ds?.elements[tag]?.items?.[0]?.dataSet?.string('x00080104');
}

function readItem(ds: DataSet): SrItem {
  const valueType = ds.string('x0040a040');
  const measured = ds.elements.x0040a300?.items?.[0]?.dataSet;
  const item: SrItem = {
    relationship: ds.string('x0040a010'),
    valueType,
    name: meaning(ds, 'x0040a043'),
    value:
      valueType === 'CODE' ? meaning(ds, 'x0040a168') : valueType === 'NUM' ? measured?.double('x0040a161') : valueType === 'UIDREF' ? ds.string('x0040a124') : ds.string('x0040a160'),
    children: (ds.elements.x0040a730?.items ?? []).map((i) => readItem(i.dataSet as DataSet)),
  };
  if (valueType === 'NUM') item.numericText = measured?.string('x0040a30a');
  if (valueType === 'IMAGE') item.referencedSOPInstanceUID = ds.elements.x00081199?.items?.[0]?.dataSet?.string('x00081155');
  return item;
}

export interface ReadSr {
  dataSet: DataSet;
  root: SrItem;
}

export function readSr(bytes: Uint8Array): ReadSr {
  const dataSet = dicomParser.parseDicom(bytes);
  return { dataSet, root: readItem(dataSet) };
}

/** Every item of the tree, depth first. */
export function flatten(item: SrItem): SrItem[] {
  return [item, ...item.children.flatMap(flatten)];
}

/** The measurement group whose Tracking Identifier is `id`. */
export function measurementGroup(root: SrItem, id: string): SrItem | undefined {
  return flatten(root).find((i) => i.name === 'Measurement Group' && i.children.some((c) => c.name === 'Tracking Identifier' && c.value === id));
}

/** dsrdump's output and exit status. */
export function dsrdump(file: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('dsrdump', [file], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
