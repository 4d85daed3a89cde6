/**
 * SR content items (PS3.3 §C.17.3) as data elements: each helper returns the elements of one
 * Content Sequence item. Value types used by RadLocal's report: CONTAINER, CODE, TEXT, NUM,
 * UIDREF, IMAGE.
 */
import type { ElementSpec } from '../dicom-write/element-spec.ts';
import { formatDecimalString } from '../dicom-write/encode-element.ts';
import type { Code } from './sr-codes.ts';

export type Relationship = 'CONTAINS' | 'HAS OBS CONTEXT' | 'HAS CONCEPT MOD' | 'HAS PROPERTIES' | 'INFERRED FROM';
export type ContentItem = readonly ElementSpec[];

const TAG = {
  codeValue: 0x00080100,
  codingSchemeDesignator: 0x00080102,
  codeMeaning: 0x00080104,
  referencedSOPClassUID: 0x00081150,
  referencedSOPInstanceUID: 0x00081155,
  referencedSOPSequence: 0x00081199,
  measurementUnitsCodeSequence: 0x004008ea,
  relationshipType: 0x0040a010,
  valueType: 0x0040a040,
  conceptNameCodeSequence: 0x0040a043,
  continuityOfContent: 0x0040a050,
  uid: 0x0040a124,
  textValue: 0x0040a160,
  floatingPointValue: 0x0040a161,
  conceptCodeSequence: 0x0040a168,
  measuredValueSequence: 0x0040a300,
  numericValue: 0x0040a30a,
  contentSequence: 0x0040a730,
} as const;

/** A Code Sequence Macro item (PS3.3 Table 8.8-1). */
export function codeItem(c: Code): ElementSpec[] {
  return [
    { tag: TAG.codeValue, vr: 'SH', value: c.value },
    { tag: TAG.codingSchemeDesignator, vr: 'SH', value: c.scheme },
    { tag: TAG.codeMeaning, vr: 'LO', value: c.meaning },
  ];
}

export function codeSequence(tag: number, c: Code): ElementSpec {
  return { tag, vr: 'SQ', value: [codeItem(c)] };
}

function head(relationship: Relationship, valueType: string, name: Code): ElementSpec[] {
  return [
    { tag: TAG.relationshipType, vr: 'CS', value: relationship },
    { tag: TAG.valueType, vr: 'CS', value: valueType },
    codeSequence(TAG.conceptNameCodeSequence, name),
  ];
}

/** The elements a CONTAINER adds to its own item (root or nested): continuity and children. */
export function containerBody(children: readonly ContentItem[]): ElementSpec[] {
  return [
    { tag: TAG.continuityOfContent, vr: 'CS', value: 'SEPARATE' },
    { tag: TAG.contentSequence, vr: 'SQ', value: children },
  ];
}

export function container(relationship: Relationship, name: Code, children: readonly ContentItem[]): ContentItem {
  return [...head(relationship, 'CONTAINER', name), ...containerBody(children)];
}

export function codeContent(relationship: Relationship, name: Code, value: Code): ContentItem {
  return [...head(relationship, 'CODE', name), codeSequence(TAG.conceptCodeSequence, value)];
}

export function textContent(relationship: Relationship, name: Code, text: string): ContentItem {
  return [...head(relationship, 'TEXT', name), { tag: TAG.textValue, vr: 'UT', value: text }];
}

export function uidContent(relationship: Relationship, name: Code, uid: string): ContentItem {
  return [...head(relationship, 'UIDREF', name), { tag: TAG.uid, vr: 'UI', value: uid }];
}

/**
 * A NUM item. The Numeric Value (DS) holds at most 16 characters; the Floating Point Value
 * (PS3.3 Table C.18.1-1) keeps the full double precision, so a reader gets the exact score.
 */
export function numContent(relationship: Relationship, name: Code, value: number, unit: Code): ContentItem {
  return [
    ...head(relationship, 'NUM', name),
    {
      tag: TAG.measuredValueSequence,
      vr: 'SQ',
      value: [
        [
          codeSequence(TAG.measurementUnitsCodeSequence, unit),
          { tag: TAG.numericValue, vr: 'DS', value: formatDecimalString(value) },
          { tag: TAG.floatingPointValue, vr: 'FD', value },
        ],
      ],
    },
  ];
}

/** An IMAGE item: a reference to one image by SOP class and instance. */
export function imageContent(relationship: Relationship, name: Code | undefined, sopClassUID: string, sopInstanceUID: string): ContentItem {
  const reference: ElementSpec = {
    tag: TAG.referencedSOPSequence,
    vr: 'SQ',
    value: [
      [
        { tag: TAG.referencedSOPClassUID, vr: 'UI', value: sopClassUID },
        { tag: TAG.referencedSOPInstanceUID, vr: 'UI', value: sopInstanceUID },
      ],
    ],
  };
  const start: ElementSpec[] = name
    ? head(relationship, 'IMAGE', name)
    : [
        { tag: TAG.relationshipType, vr: 'CS', value: relationship },
        { tag: TAG.valueType, vr: 'CS', value: 'IMAGE' },
      ];
  return [...start, reference];
}
