/**
 * Integrity of a model folder: every file the card lists must be present with exactly the
 * listed size and SHA-256. The model's identity (`modelSha256`) is the SHA-256 of the card's
 * own bytes: the card pins every other file by hash, so this one digest names the whole model.
 */
import { RadLocalError } from '../errors/radlocal-error.ts';
import type { ModelCard } from './model-card.ts';
import { sha256Hex } from './sha256.ts';

/**
 * @param files path (relative to the model folder, as in `card.files`) → bytes. Extra entries are ignored.
 * @throws RadLocalError MODEL_INTEGRITY_MISMATCH naming the first missing or altered file.
 */
export async function verifyModelFiles(card: ModelCard, files: ReadonlyMap<string, Uint8Array>): Promise<void> {
  for (const entry of card.files) {
    const bytes = files.get(entry.path);
    if (bytes === undefined) {
      throw new RadLocalError('MODEL_INTEGRITY_MISMATCH', `The model file "${entry.path}" listed in the model card is missing.`, {
        details: { file: entry.path },
      });
    }
    if (bytes.byteLength !== entry.bytes) {
      throw new RadLocalError(
        'MODEL_INTEGRITY_MISMATCH',
        `The model file "${entry.path}" has ${bytes.byteLength} bytes, but the model card expects ${entry.bytes}: the model was altered or is incomplete.`,
        { details: { file: entry.path } },
      );
    }
    const actual = await sha256Hex(bytes);
    if (actual !== entry.sha256) {
      throw new RadLocalError(
        'MODEL_INTEGRITY_MISMATCH',
        `The model file "${entry.path}" has SHA-256 ${actual}, but the model card expects ${entry.sha256}: the model was altered.`,
        { details: { file: entry.path } },
      );
    }
  }
}

/** The identity of a model: lowercase hex SHA-256 of the exact `model-card.json` bytes. */
export function modelSha256(cardBytes: Uint8Array): Promise<string> {
  return sha256Hex(cardBytes);
}
