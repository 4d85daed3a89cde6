/**
 * Labelled preview montage: each phantom as the model's preprocessing shows it (file window,
 * MONOCHROME1 inverted), with a caption in the built-in bitmap font: file, modality,
 * photometric, transfer syntax, and the findings in colour (normal in green).
 */
import { encode } from 'fast-png';
import { fitGeometry } from '../../../core/preprocess/fit-geometry.ts';
import { greyFrame } from '../../../core/preprocess/grey-frame.ts';
import { resample } from '../../../core/preprocess/resize.ts';
import { EXPLICIT_VR_LITTLE_ENDIAN, JPEG_2000_LOSSLESS, JPEG_LS_LOSSLESS, RLE_LOSSLESS } from '../../../core/dicom/transfer-syntax-uids.ts';
import { drawText, GLYPH_HEIGHT } from './bitmap-font.ts';
import { phantomDecodedImage, type PhantomImage } from './generate-phantom.ts';

export interface MontageItem {
  name: string;
  image: PhantomImage;
}

type Rgb = [number, number, number];
const WHITE: Rgb = [235, 235, 235];
const GREEN: Rgb = [90, 220, 110];
const COLOURS: Record<string, Rgb> = { CARDIO: [255, 90, 90], EFFUSION: [255, 170, 60], PTX: [90, 170, 255], NODULE: [240, 90, 240] };

const TS_NAMES: Record<string, string> = { [EXPLICIT_VR_LITTLE_ENDIAN]: 'LE', [RLE_LOSSLESS]: 'RLE', [JPEG_LS_LOSSLESS]: 'JLS', [JPEG_2000_LOSSLESS]: 'J2K' };

function captionLines(item: MontageItem): { text: string; colour: Rgb }[][] {
  const { image } = item;
  const a = image.acquisition;
  const t = image.truth;
  const line1 = [{ text: `${item.name} ${a.modality} ${a.photometric === 'MONOCHROME1' ? 'M1' : 'M2'} ${TS_NAMES[a.transferSyntaxUID] ?? '?'} ${a.viewPosition}`, colour: WHITE }];
  const findings: { text: string; colour: Rgb }[] = [];
  if (t.labels.cardiomegaly) findings.push({ text: `CARDIO ${t.ctr.toFixed(2)}`, colour: COLOURS.CARDIO as Rgb });
  if (t.labels.pleural_effusion) {
    const sides = `${t.effusion.right > 0 ? 'R' : ''}${t.effusion.left > 0 ? 'L' : ''}`;
    findings.push({ text: `EFFUSION ${sides}`, colour: COLOURS.EFFUSION as Rgb });
  }
  if (t.pneumothorax) findings.push({ text: `PTX ${t.pneumothorax.side === 'right' ? 'R' : 'L'}`, colour: COLOURS.PTX as Rgb });
  for (const n of t.nodules) findings.push({ text: `NODULE ${Math.round(n.diameterMm)}MM`, colour: COLOURS.NODULE as Rgb });
  if (findings.length === 0) findings.push({ text: `NORMAL CTR ${t.ctr.toFixed(2)}`, colour: GREEN });
  // Wrap findings greedily at the tile width (21 glyphs of 12 px in 256 px).
  const lines = [line1];
  let current: { text: string; colour: Rgb }[] = [];
  let used = 0;
  for (const f of findings) {
    if (current.length > 0 && used + 1 + f.text.length > 21) {
      lines.push(current);
      current = [];
      used = 0;
    }
    used += (current.length > 0 ? 1 : 0) + f.text.length;
    current.push(f);
  }
  lines.push(current);
  return lines;
}

/** @returns PNG bytes (RGB, 8-bit) of a grid of `tile`-pixel images with captions. */
export function renderMontage(items: MontageItem[], tile = 256, columns = 4): Uint8Array {
  const scale = 2;
  const lineHeight = GLYPH_HEIGHT * scale + 4;
  const captionHeight = 4 * lineHeight + 4;
  const cols = Math.min(columns, items.length);
  const rows = Math.ceil(items.length / cols);
  const width = cols * tile + (cols + 1) * 4;
  const height = rows * (tile + captionHeight) + (rows + 1) * 4;
  const rgb = new Uint8Array(width * height * 3).fill(24);
  items.forEach((item, i) => {
    const x0 = 4 + (i % cols) * (tile + 4);
    const y0 = 4 + Math.floor(i / cols) * (tile + captionHeight + 4);
    const grey = greyFrame(phantomDecodedImage(item.image), 0, { voi: 'file-then-percentile', percentileLow: 0.5, percentileHigh: 99.5 });
    const small = resample(grey.data, fitGeometry(item.image.rows, item.image.columns, tile, tile, 'letterbox'), 0);
    for (let r = 0; r < tile; r++) {
      for (let c = 0; c < tile; c++) {
        const g = Math.round(Math.min(1, Math.max(0, small[r * tile + c] as number)) * 255);
        const o = ((y0 + r) * width + x0 + c) * 3;
        rgb[o] = g;
        rgb[o + 1] = g;
        rgb[o + 2] = g;
      }
    }
    captionLines(item).forEach((line, l) => {
      let x = x0 + 2;
      for (const word of line) {
        drawText(word.text, x, y0 + tile + 4 + l * lineHeight, scale, (c, r) => {
          if (c < x0 + tile && r < height) rgb.set(word.colour, (r * width + c) * 3);
        });
        x += (word.text.length + 1) * 6 * scale;
      }
    });
  });
  return encode({ width, height, data: rgb, channels: 3, depth: 8 });
}
