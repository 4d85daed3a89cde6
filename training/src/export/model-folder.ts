/**
 * Writing and reading a model folder on disk (Node only): the card is completed with the
 * size and SHA-256 of every other file, validated with the shared schema, then written last.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadModelFrom, type LoadedModel } from '../../../core/model/load-model.ts';
import { MODEL_CARD_FILE, parseModelCard, type ModelCard, type ModelFileEntry } from '../../../core/model/model-card.ts';
import { sha256Hex } from '../../../core/model/sha256.ts';
import { RadLocalError } from '../../../core/errors/radlocal-error.ts';

export type CardDraft = Omit<ModelCard, 'files'>;

export async function fileEntries(files: ReadonlyMap<string, Uint8Array>): Promise<ModelFileEntry[]> {
  const entries: ModelFileEntry[] = [];
  for (const [path, bytes] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    entries.push({ path, sha256: await sha256Hex(bytes), bytes: bytes.byteLength });
  }
  return entries;
}

/** A JSON array holding only numbers, as JSON.stringify(…, null, 2) lays it out (one number per line). */
const NUMBER_ARRAY = /\[\s*(-?\d[\d.eE+-]*(?:,\s*-?\d[\d.eE+-]*)*)\s*\]/g;

/**
 * Card bytes as written: pretty JSON with a final newline, each array of numbers on one line
 * (the OOD statistics hold thousands of numbers: one per line tripled the card's size).
 */
export function cardBytes(card: ModelCard): Uint8Array {
  const pretty = JSON.stringify(card, null, 2).replace(NUMBER_ARRAY, (_, items: string) => `[${items.split(/,\s*/).join(', ')}]`);
  return new TextEncoder().encode(`${pretty}\n`);
}

/**
 * Completes and validates the card, writes every file and then model-card.json.
 * @return the card as written and its bytes.
 */
export async function writeModelFolder(dir: string, draft: CardDraft, files: ReadonlyMap<string, Uint8Array>): Promise<{ card: ModelCard; bytes: Uint8Array }> {
  const card = parseModelCard({ ...draft, files: await fileEntries(files) });
  await mkdir(dir, { recursive: true });
  for (const [path, bytes] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
  const bytes = cardBytes(card);
  await writeFile(join(dir, MODEL_CARD_FILE), bytes);
  return { card, bytes };
}

/** Loads a model folder through the shared core loader (hashes verified before tfjs sees a byte). */
export async function loadModelFolder(dir: string): Promise<LoadedModel> {
  return loadModelFrom(async (path) => {
    try {
      return new Uint8Array(await readFile(join(dir, path)));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (path === MODEL_CARD_FILE && code === 'ENOENT') {
        throw new RadLocalError('MODEL_LOAD_FAILED', `Expected a model folder with ${MODEL_CARD_FILE} at ${dir}, but there is none.`, { cause: error });
      }
      if (code === 'ENOENT') {
        throw new RadLocalError('MODEL_INTEGRITY_MISMATCH', `The model file "${path}" listed in the model card is missing from ${dir}.`, { cause: error });
      }
      throw new RadLocalError('MODEL_LOAD_FAILED', `Could not read the model file "${path}" in ${dir}: ${(error as Error).message}.`, { cause: error });
    }
  });
}
