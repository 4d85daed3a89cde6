/**
 * Data elements as small data objects (dwv style): a test or the phantom generator states
 * exactly which attributes a file carries. Tags are written as 0xGGGGEEEE.
 */
export type StringVR = 'AE' | 'AS' | 'CS' | 'DA' | 'DS' | 'DT' | 'IS' | 'LO' | 'LT' | 'PN' | 'SH' | 'ST' | 'TM' | 'UI' | 'UT';
/** Text VRs whose value may hold characters of the data set's Specific Character Set (PS3.5 §6.1.2.3). */
export const CHARACTER_SET_VRS: ReadonlySet<string> = new Set(['LO', 'LT', 'PN', 'SH', 'ST', 'UT']);
export type NumberVR = 'US' | 'SS' | 'UL' | 'SL' | 'FL' | 'FD';
export type BinaryVR = 'OB' | 'OW';

export type ElementSpec =
  | { tag: number; vr: StringVR; value: string | readonly (string | number)[] | number }
  | { tag: number; vr: NumberVR; value: number | readonly number[] }
  | { tag: number; vr: BinaryVR; value: Uint8Array }
  /** A sequence: one array of elements per item (PS3.5 §7.5), written with explicit lengths. */
  | { tag: number; vr: 'SQ'; value: readonly (readonly ElementSpec[])[] };

/** "(gggg,eeee)" for messages. */
export function tagText(tag: number): string {
  const hex = (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}
