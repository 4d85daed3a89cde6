/**
 * Reading a RadLocal model's files and checking them against its card — without TensorFlow.js,
 * so the browser worker can fetch and verify them while the tfjs code is still loading.
 * load-model.ts builds the model from the result.
 */
import { MODEL_CARD_FILE, parseModelCard, type ModelCard } from './model-card.ts';
import { modelSha256, verifyModelFiles } from './model-integrity.ts';

/** Reads one file of the model folder by its relative path (fetch in the browser, fs in Node). */
export type ModelFileReader = (path: string) => Promise<Uint8Array>;

/** A model folder's files after its card was parsed and every listed file checked against it. */
export interface VerifiedModelFiles {
  readonly card: ModelCard;
  /** SHA-256 of the exact model-card.json bytes (see model-integrity.ts). */
  readonly modelSha256: string;
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/** Verifies `files` against the already parsed `card` and records the card's SHA-256. */
export async function verifiedModelFiles(card: ModelCard, cardBytes: Uint8Array, files: ReadonlyMap<string, Uint8Array>): Promise<VerifiedModelFiles> {
  await verifyModelFiles(card, files);
  return { card, modelSha256: await modelSha256(cardBytes), files };
}

/**
 * Reads the card, then every file it lists (in parallel), and verifies their sizes and SHA-256
 * against the card. Use with fetch (browser) or fs (Node).
 * @throws RadLocalError MODEL_CARD_INVALID, MODEL_INTEGRITY_MISMATCH, or what `read` throws.
 */
export async function readModelFiles(read: ModelFileReader): Promise<VerifiedModelFiles> {
  const files = new Map<string, Uint8Array>();
  const cardBytes = await read(MODEL_CARD_FILE);
  files.set(MODEL_CARD_FILE, cardBytes);
  const card = parseModelCard(cardBytes);
  const bytes = await Promise.all(card.files.map((entry) => read(entry.path)));
  card.files.forEach((entry, i) => files.set(entry.path, bytes[i] as Uint8Array));
  return verifiedModelFiles(card, cardBytes, files);
}
