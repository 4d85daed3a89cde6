/**
 * The out-of-distribution benchmark's image sets, as decoded images (one frame each) with the
 * category they belong to:
 *
 * - `near-*`: held-out phantoms made wrong the way real files are wrong
 *   (training/src/eval/near-ood.ts: rotated, upside down, inverted, cropped, wrong window,
 *   lateral-like).
 * - `real-cr-dx`: every CR/DX radiograph with pixel data in the reference files (found by
 *   Modality / SOP class), `real-xa`: X-ray angiography (projection X-ray of real anatomy).
 * - `far-dicom`: CT / MR / NM / US (and other non-radiograph) DICOM images; `far-png`: the same
 *   images rendered to 8-bit PNG, so no header can help; `photo`: natural photographs and other
 *   non-radiograph pictures (Debian scikit-image / scikit-learn test images).
 *
 * Identical pixel data (one image stored in several transfer syntaxes) is kept once.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import type { DecodedImage } from '../../core/dicom/decoded-image.ts';
import { decodeImageFile } from '../../core/image/decode-image-file.ts';
import { frameOf, greyFrame } from '../../core/preprocess/grey-frame.ts';
import type { PreprocessParams } from '../../core/preprocess/params.ts';
import { daikonDir, ensureExternalFixtures, pydicomDir } from '../../test/fixtures/external-fixtures.ts';
import { ensurePhotoFixtures, photoPath, PHOTOS } from '../../test/fixtures/photo-fixtures.ts';
import { NEAR_TRANSFORMS, nearTransform } from '../../training/src/eval/near-ood.ts';

export interface BenchImage {
  category: string;
  name: string;
  image: DecodedImage;
  frame: number;
  /** The file it was read from (a rendered PNG keeps its DICOM's path). */
  path: string;
}

function pixelKey(image: DecodedImage, frame: number): string {
  const data = frameOf(image, frame);
  return createHash('sha256')
    .update(`${image.rows}x${image.columns}x${image.samplesPerPixel}:`)
    .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    .digest('hex');
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

/** Renders one frame as an 8-bit grey PNG (the file's own VOI, as a viewer's "export PNG" would) and decodes it back. */
async function asPng(image: DecodedImage, frame: number, params: PreprocessParams): Promise<DecodedImage> {
  const grey = greyFrame(image, frame, params);
  const bytes = new Uint8Array(grey.data.length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, grey.data[i] as number)) * 255);
  return decodeImageFile(encodePng({ width: grey.columns, height: grey.rows, data: bytes, channels: 1, depth: 8 }));
}

const RADIOGRAPH_SOP_CLASSES = new Set([
  '1.2.840.10008.5.1.4.1.1.1', // CR
  '1.2.840.10008.5.1.4.1.1.1.1', // DX for presentation
  '1.2.840.10008.5.1.4.1.1.1.1.1', // DX for processing
]);
/** Not images of anatomy (dose grids, segmentations) or too small to say anything: left out. */
const SKIP_MODALITIES = new Set(['RTDOSE', 'SEG']);

/** Real reference DICOM files: CR/DX radiographs, XA, and far-OOD images (DICOM and rendered PNG). */
export async function referenceImages(params: PreprocessParams, extraDirs: readonly string[] = []): Promise<BenchImage[]> {
  const files = [...walk(pydicomDir()), ...walk(daikonDir()), ...extraDirs.flatMap(walk)];
  const seen = new Set<string>();
  const out: BenchImage[] = [];
  for (const file of files) {
    let image: DecodedImage;
    try {
      image = await decodeImageFile(new Uint8Array(readFileSync(file)));
    } catch {
      continue; // no pixel data, broken on purpose, not DICOM
    }
    if (image.source !== 'dicom' || image.rows < 8 || image.columns < 8) continue;
    const modality = (image.modality ?? '').toUpperCase();
    if (SKIP_MODALITIES.has(modality)) continue;
    const radiograph = modality === 'CR' || modality === 'DX' || RADIOGRAPH_SOP_CLASSES.has(image.sopClassUID ?? '');
    // Multi-frame: a few frames spread over the series.
    const frames = image.frames.length <= 1 ? [0] : [0, Math.floor(image.frames.length / 2), image.frames.length - 1];
    for (const frame of [...new Set(frames)]) {
      const key = pixelKey(image, frame);
      if (seen.has(key)) continue;
      seen.add(key);
      const name = `${basename(file)}${frames.length > 1 ? `#${frame}` : ''} (${modality || 'no modality'})`;
      const category = radiograph ? 'real-cr-dx' : modality === 'XA' || modality === 'RF' ? 'real-xa' : 'far-dicom';
      out.push({ category, name, image, frame, path: file });
      if (category === 'far-dicom') out.push({ category: 'far-png', name: `${name} as PNG`, image: await asPng(image, frame, params), frame: 0, path: file });
    }
  }
  return out;
}

export async function photoImages(): Promise<BenchImage[]> {
  ensurePhotoFixtures();
  const out: BenchImage[] = [];
  for (const rel of [...PHOTOS.natural, ...PHOTOS.other]) {
    out.push({ category: 'photo', name: basename(rel), image: await decodeImageFile(new Uint8Array(readFileSync(photoPath(rel)))), frame: 0, path: photoPath(rel) });
  }
  return out;
}

/** Near-OOD variants of held-out phantoms: every transform on each of the given images. */
export function nearImages(phantoms: readonly { name: string; image: DecodedImage }[]): BenchImage[] {
  const out: BenchImage[] = [];
  phantoms.forEach(({ name, image }, k) => {
    for (const t of NEAR_TRANSFORMS) out.push({ category: `near-${t}`, name: `${name} ${t}`, image: nearTransform(image, t, k), frame: 0, path: name });
  });
  return out;
}

/**
 * Writes the reference and photograph categories as folders under `dir` (real-cr-dx, real-xa,
 * far-dicom, far-png, photo), one file per image (frame 0 of a multi-frame file), for
 * `radlocal evaluate --ood` / `radlocal refit-card --ood`.
 */
export async function writeSetFolders(dir: string, params: PreprocessParams): Promise<Record<string, number>> {
  await ensureExternalFixtures();
  const counts: Record<string, number> = {};
  const all = [...(await referenceImages(params)), ...(await photoImages())].filter((b) => b.frame === 0);
  for (const [i, b] of all.entries()) {
    const folder = join(dir, b.category);
    mkdirSync(folder, { recursive: true });
    const stem = `${String(i).padStart(3, '0')}-${b.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60)}`;
    if (b.category === 'far-png') {
      // The rendering asPng made (8-bit grey), written as it is.
      writeFileSync(join(folder, `${stem}.png`), encodePng({ width: b.image.columns, height: b.image.rows, data: b.image.frames[0] as Uint8Array, channels: 1, depth: 8 }));
    } else {
      copyFileSync(b.path, join(folder, `${stem}${b.category === 'photo' ? extname(b.path) : '.dcm'}`));
    }
    counts[b.category] = (counts[b.category] ?? 0) + 1;
  }
  return counts;
}
