/**
 * A tiny labelled PNG dataset in the phantom layout (labels.csv: file,patient_id,<labels>),
 * for fast tests of the training pipeline: 8-bit grey noise with a bright disc ("blob") and/or
 * a horizontal bar ("bar"), each present with probability 1/2.
 */
import { encode } from 'fast-png';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seededRandom } from '../../core/random/seeded-random.ts';

export const TOY_LABELS = ['blob', 'bar'] as const;

export async function writeToyDataset(dir: string, count: number, seed: number, size = 48): Promise<void> {
  const random = seededRandom(seed);
  await mkdir(dir, { recursive: true });
  const lines = ['file,patient_id,blob,bar'];
  for (let n = 0; n < count; n++) {
    const blob = random() < 0.5 ? 1 : 0;
    const bar = random() < 0.5 ? 1 : 0;
    const data = new Uint8Array(size * size);
    const cx = size * (0.3 + 0.4 * random());
    const cy = size * (0.3 + 0.4 * random());
    const r = size * 0.12;
    const barY = Math.floor(size * (0.2 + 0.6 * random()));
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let v = 60 + 40 * random();
        if (blob && (x - cx) ** 2 + (y - cy) ** 2 < r * r) v += 120;
        if (bar && Math.abs(y - barY) <= 1 && x > size * 0.15 && x < size * 0.85) v += 110;
        data[y * size + x] = Math.min(255, Math.round(v));
      }
    }
    const file = `img-${String(n).padStart(4, '0')}.png`;
    await writeFile(join(dir, file), encode({ width: size, height: size, data, channels: 1, depth: 8 }));
    lines.push(`${file},p${n},${blob},${bar}`);
  }
  await writeFile(join(dir, 'labels.csv'), `${lines.join('\n')}\n`);
}
