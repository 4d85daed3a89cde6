/**
 * `radlocal predict --model models/NAME FILE… [--json] [--backend B]`: scores images through
 * the one core/model pipeline (the viewer's worker runs the same code). With --json, one line
 * per file: {file, ok, error?, scores: {label: p}, positives: [label], ood: {distance, flagged,
 * reasons}, modelSha256}. Exit code 1 when any file failed. With --sr DIR, each DICOM's findings
 * are also written as a DICOM Comprehensive SR (TID 1500, core/sr — the viewer writes the same).
 * With --site site.json, the site profile's calibration and thresholds replace the card's
 * (core/site; a profile for another model is refused with SITE_PROFILE_MISMATCH) and each
 * record says which site (`site: {site, n, createdAt, disabled, cardBoundary}`).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { RadLocalError, toSerializedError, type SerializedError } from '../../../../core/errors/radlocal-error.ts';
import { decodeImageFile } from '../../../../core/image/decode-image-file.ts';
import type { LoadedModel } from '../../../../core/model/load-model.ts';
import type { OodResult } from '../../../../core/model/ood.ts';
import { predictImage } from '../../../../core/model/predict.ts';
import { applySiteProfile, siteStamp, type SiteStamp } from '../../../../core/site/apply-site-profile.ts';
import type { SiteProfile } from '../../../../core/site/site-profile.ts';
import { predictionSr } from '../../../../core/sr/prediction-sr.ts';
import { BACKEND_CHOICES, selectBackend, type BackendChoice } from '../../backend/select-backend.ts';
import { loadModelFolder } from '../../export/model-folder.ts';
import { readSiteProfile } from '../../site/read-site-profile.ts';
import { choiceOption, parseCommandArgs } from '../cli-options.ts';

export const HELP = `Usage: radlocal predict --model models/NAME FILE… [--json] [--backend B] [--site site.json]

Scores DICOM, PNG or JPEG files with an exported model: calibrated probability per finding,
findings at or above the card's threshold, and the out-of-distribution verdict. The model's
files are checked against the SHA-256 hashes in its card before it is used.

Options:
  --model DIR   model folder with model-card.json (required)
  --json        one JSON object per line per file
  --backend B   auto|tensorflow|wasm|cpu (default auto)
  --sr DIR      also write each DICOM's findings as a DICOM SR (TID 1500) into DIR
  --site FILE   apply a site profile (radlocal calibrate): the site's calibration and
                thresholds; findings the site switched off are never positive
  --help        this text`;

export interface PredictRecord {
  file: string;
  ok: boolean;
  error?: SerializedError;
  scores: Record<string, number>;
  positives: string[];
  ood: OodResult | null;
  modelSha256: string;
  /** With --site: the site the scores are calibrated for. */
  site?: SiteStamp;
  /** With --sr: the SR file written, or why none could be (e.g. a PNG has no study to report into). */
  sr?: { file: string } | { error: SerializedError };
}

async function writeSrFile(loaded: LoadedModel, file: string, image: Awaited<ReturnType<typeof decodeImageFile>>, p: Awaited<ReturnType<typeof predictImage>>, srDir: string): Promise<PredictRecord['sr']> {
  try {
    const sr = predictionSr(image, p, { model: { name: loaded.card.name, version: loaded.card.version }, now: new Date() });
    const out = join(srDir, `${basename(file)}.sr.dcm`);
    await mkdir(srDir, { recursive: true });
    await writeFile(out, sr.bytes);
    return { file: out };
  } catch (error) {
    return { error: toSerializedError(error) };
  }
}

export async function predictFile(loaded: LoadedModel, file: string, srDir?: string, site?: SiteProfile): Promise<PredictRecord> {
  try {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (error) {
      throw new RadLocalError('DATASET_BAD_FILES', `Could not read ${file}: ${(error as Error).message}.`, { cause: error });
    }
    const image = await decodeImageFile(bytes);
    const predicted = await predictImage(loaded, image);
    const p = site ? applySiteProfile(site, predicted) : predicted;
    const record: PredictRecord = { file, ok: true, scores: p.scores, positives: p.positives, ood: p.ood, modelSha256: p.modelSha256, ...(site ? { site: siteStamp(site) } : {}) };
    if (srDir !== undefined) record.sr = await writeSrFile(loaded, file, image, p, srDir);
    return record;
  } catch (error) {
    return { file, ok: false, error: toSerializedError(error), scores: {}, positives: [], ood: null, modelSha256: loaded.modelSha256 };
  }
}

function humanLine(r: PredictRecord): string {
  if (!r.ok) return `${r.file}: [${r.error?.code}] ${r.error?.message}`;
  const scores = Object.entries(r.scores).map(([l, p]) => `${l} ${(p * 100).toFixed(1)}%`).join(', ');
  const ood = r.ood?.flagged ? ` — OUT OF DISTRIBUTION: ${r.ood.reasons.join(' ')}` : '';
  const sr = r.sr ? ('file' in r.sr ? ` — SR: ${r.sr.file}` : ` — no SR: [${r.sr.error.code}] ${r.sr.error.message}`) : '';
  const site = r.site ? ` (calibrated for ${r.site.site}, n = ${r.site.n}${r.site.disabled.length > 0 ? `; switched off there: ${r.site.disabled.join(', ')}` : ''})` : '';
  return `${r.file}: ${scores}${site}; positive: ${r.positives.join(', ') || 'none'}${ood}${sr}`;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { model: { type: 'string' }, json: { type: 'boolean' }, backend: { type: 'string' }, sr: { type: 'string' }, site: { type: 'string' } },
    HELP,
    true,
  );
  if (!values.model || positionals.length === 0) throw new RadLocalError('CLI_USAGE', `Expected --model DIR and at least one FILE.\n\n${HELP}`);
  const backend = choiceOption<BackendChoice>('--backend', values.backend, BACKEND_CHOICES, 'auto');
  await selectBackend(backend);
  const loaded = await loadModelFolder(values.model);
  let failed = 0;
  try {
    const site = values.site === undefined ? undefined : await readSiteProfile(values.site, loaded);
    for (const file of positionals) {
      const record = await predictFile(loaded, file, values.sr, site);
      if (!record.ok) failed++;
      process.stdout.write(`${values.json ? JSON.stringify(record) : humanLine(record)}\n`);
    }
  } finally {
    loaded.dispose();
  }
  return failed > 0 ? 1 : 0;
}
