/**
 * Synthetic identities: patient names and IDs, UIDs under the 2.25 root (PS3.5 §B.2: a
 * UUID-sized integer from the seeded generator), fixed dates. Nothing here is real.
 */
import type { Rng } from '../../../core/random/prng.ts';

const GIVEN = ['ALEX', 'SAM', 'ROBIN', 'KIM', 'JO', 'LEE', 'NOOR', 'ARI', 'MIKA', 'TAYLOR', 'REMY', 'SASHA', 'EDEN', 'QUINN', 'RILEY', 'DANA'];
const FAMILY = ['PHANTOM', 'TESTCASE', 'SYNTHETIC', 'MODEL', 'SAMPLE', 'DUMMY'];

/** A 2.25 UID: "2.25." + a 124-bit decimal integer from the generator (no leading zero). */
export function uid225(rng: Rng): string {
  let n = 1n + BigInt(Math.floor(rng.next() * 2 ** 28));
  for (let i = 0; i < 4; i++) n = (n << 24n) + BigInt(Math.floor(rng.next() * 2 ** 24));
  return `2.25.${n.toString()}`;
}

export interface PatientIdentity {
  patientId: string;
  name: string;
  birthDate: string;
  sex: 'F' | 'M';
  studyDate: (imageIndex: number) => string;
}

export function samplePatientIdentity(rng: Rng, patientIndex: number, female: boolean): PatientIdentity {
  const year = 1935 + rng.int(0, 70);
  const month = rng.int(1, 12);
  const day = rng.int(1, 28);
  const studyDay = rng.int(0, 300);
  return {
    patientId: `PH${String(patientIndex + 1).padStart(6, '0')}`,
    name: `${rng.pick(FAMILY)}^${rng.pick(GIVEN)}`,
    birthDate: `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`,
    sex: female ? 'F' : 'M',
    // Fixed dates in 2024, one study per image (follow-ups a few weeks apart).
    studyDate: (imageIndex) => {
      const d = new Date(Date.UTC(2024, 0, 1 + studyDay + 21 * imageIndex));
      return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
    },
  };
}
