/** Vitest global setup: makes sure the external real-DICOM fixtures are on disk. */
import { ensureExternalFixtures } from '../fixtures/external-fixtures.ts';

export default async function setup(): Promise<void> {
  await ensureExternalFixtures();
}
