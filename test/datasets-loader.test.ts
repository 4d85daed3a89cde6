/**
 * Batch loader: streaming decode → preprocess → batch, cache, augmentation hook, bad files.
 * In-process decoding with a PNG decoder stated here; the worker-thread path runs the
 * project's own decoder (core/image).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode as decodePng, encode as encodePng } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PREPROCESS_PARAMS, type PreprocessParams } from '../core/preprocess/params.ts';
import { createDecodedImage } from '../core/dicom/decoded-image.ts';
import { createBatchLoader } from '../training/src/data/batch-loader.ts';
import type { ExampleRef } from '../training/src/data/dataset-types.ts';
import type { DecodeFn } from '../training/src/data/decode-example.ts';
import { expectTypedError } from './typed-error-code.ts';

const root = mkdtempSync(join(tmpdir(), 'radlocal-loader-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const params: PreprocessParams = { ...DEFAULT_PREPROCESS_PARAMS, height: 8, width: 8, voi: 'percentile', percentileLow: 0, percentileHigh: 100 };

/** 16×16 8-bit grey PNG: left half 0, right half `value` (so after the percentile window: 0 and 1). */
function writePng(name: string, value: number): ExampleRef {
  const data = new Uint8Array(256);
  for (let i = 0; i < 256; i++) data[i] = i % 16 >= 8 ? value : 0;
  const path = join(root, name);
  writeFileSync(path, encodePng({ width: 16, height: 16, data, channels: 1, depth: 8 }));
  return { path, patientId: name, labels: Uint8Array.of(value > 100 ? 1 : 0, 1) };
}

const testDecode: DecodeFn = async (bytes) => {
  const png = decodePng(bytes);
  return createDecodedImage(png.height, png.width, [Uint8Array.from(png.data)], { source: 'png', transferSyntaxUID: undefined });
};

describe('createBatchLoader (in-process)', () => {
  const a = writePng('a.png', 200);
  const b = writePng('b.png', 50);
  const broken: ExampleRef = { path: join(root, 'broken.png'), patientId: 'x', labels: Uint8Array.of(0, 0) };
  writeFileSync(broken.path, 'not a png');

  it('stacks inputs [B, H, W, 1] and labels [B, L]', async () => {
    const loader = createBatchLoader({ params, workers: 0, decode: testDecode });
    const batch = await loader.load([a, b]);
    expect(batch.size).toBe(2);
    expect(batch.x.length).toBe(2 * 8 * 8);
    expect(Array.from(batch.y)).toEqual([1, 1, 0, 1]);
    // Row 0 of example 0: the 8/8 edge halved by the tent filter (weights ⅛ ⅜ ⅜ ⅛) gives ⅛ and ⅞ beside it.
    expect(Array.from(batch.x.subarray(0, 8))).toEqual([0, 0, 0, 0.125, 0.875, 1, 1, 1]);
    // A label the dataset does not give (U-Ignore) is NaN in y: the loss masks it, never a negative.
    const unknown = await loader.load([{ ...a, labels: Uint8Array.of(1, 0), known: Uint8Array.of(1, 0) }]);
    expect(Array.from(unknown.y)).toEqual([1, Number.NaN]);
    await loader.close();
  });

  it('serves repeats from the cache and applies the augmentation to a copy', async () => {
    const loader = createBatchLoader({
      params,
      workers: 0,
      decode: testDecode,
      augment: (input) => input.map((v) => 1 - v),
    });
    const first = await loader.load([a]);
    const second = await loader.load([a]);
    expect(loader.stats()).toMatchObject({ cacheHits: 1, cacheMisses: 1, cachedExamples: 1 });
    expect(Array.from(first.x.subarray(0, 8))).toEqual([1, 1, 1, 0.875, 0.125, 0, 0, 0]);
    expect(Array.from(second.x)).toEqual(Array.from(first.x)); // the cache kept the un-augmented input
    await loader.close();
  });

  it('rejects a batch with an unreadable image (DATASET_BAD_FILES), or skips it with skipBad', async () => {
    const strict = createBatchLoader({ params, workers: 0, decode: testDecode });
    expect((await expectTypedError(strict.load([a, broken]), 'DATASET_BAD_FILES')).details).toMatchObject({ count: 1 });
    const lenient = createBatchLoader({ params, workers: 0, decode: testDecode, skipBad: true });
    const batch = await lenient.load([a, broken, b]);
    expect(batch.refs.map((r) => r.patientId)).toEqual(['a.png', 'b.png']);
    expect(batch.bad[0]?.path).toBe(broken.path);
    expect(lenient.badFiles()).toEqual({ count: 1, first: [broken.path] });
  });

  it('scan() finds every unreadable image up front: total count and first ten paths', async () => {
    const brokenMany = Array.from({ length: 12 }, (_, i) => {
      const path = join(root, `bad${String(i).padStart(2, '0')}.png`);
      writeFileSync(path, 'garbage');
      return { path, patientId: `bad${i}`, labels: Uint8Array.of(0, 0) };
    });
    const strict = createBatchLoader({ params, workers: 0, decode: testDecode });
    expect((await expectTypedError(strict.scan([a, ...brokenMany, b]), 'DATASET_BAD_FILES')).details).toMatchObject({ count: 12 });
    const lenient = createBatchLoader({ params, workers: 0, decode: testDecode, skipBad: true });
    const { ok, bad } = await lenient.scan([a, ...brokenMany, b]);
    expect(ok).toEqual([a, b]);
    expect(bad.count).toBe(12);
    expect(bad.first).toHaveLength(10);
    expect(bad.first[0]).toBe(`${brokenMany[0]?.path} [IMAGE_DECODE_FAILED]`);
    expect(lenient.stats().cachedExamples).toBe(2);
  });

  it('batches() covers every example once, shuffled by seed, with prefetch', async () => {
    const refs = Array.from({ length: 7 }, (_, i) => writePng(`s${i}.png`, 10 + i * 30));
    const loader = createBatchLoader({ params, workers: 0, decode: testDecode });
    const seen: string[] = [];
    for await (const batch of loader.batches(refs, 3, { shuffleSeed: 5 })) seen.push(...batch.refs.map((r) => r.patientId));
    expect(seen.slice().sort()).toEqual(refs.map((r) => r.patientId).sort());
    expect(seen).not.toEqual(refs.map((r) => r.patientId));
    const again: string[] = [];
    for await (const batch of loader.batches(refs, 3, { shuffleSeed: 5 })) again.push(...batch.refs.map((r) => r.patientId));
    expect(again).toEqual(seen);
  });
});



describe('createBatchLoader (worker threads, project decoder)', () => {
  it('decodes PNGs in two workers to the same floats as in-process', async () => {
    const refs = Array.from({ length: 4 }, (_, i) => writePng(`w${i}.png`, 60 + i * 40));
    const pooled = createBatchLoader({ params, workers: 2 });
    const local = createBatchLoader({ params, workers: 0 });
    const [x1, x2] = [await pooled.load(refs), await local.load(refs)];
    await pooled.close();
    expect(x1.size).toBe(4);
    expect(Array.from(x1.x)).toEqual(Array.from(x2.x));
    expect(Array.from(x1.x.subarray(0, 8))).toEqual([0, 0, 0, 0.125, 0.875, 1, 1, 1]);
  });
});
