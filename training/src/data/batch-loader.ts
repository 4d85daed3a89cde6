/**
 * Streams examples into batches: each image is read, decoded (core/image) and preprocessed
 * (core/preprocess) on demand — in worker threads by default — and the preprocessed input
 * kept in a bounded LRU cache, so a 100,000-image dataset never has to fit in memory.
 *
 * ```ts
 * const loader = createBatchLoader({ params, workers: 2, skipBad: false, augment });
 * for await (const batch of loader.batches(ds.splits.train, 32, { shuffleSeed: epoch })) {
 *   batch.x; // Float32Array [B, H, W, 1] — preprocessed (then augmented) inputs
 *   batch.y; // Float32Array [B, L] — 0/1 labels, NaN where unknown
 * }
 * await loader.close();
 * ```
 *
 * Unreadable images: with `skipBad` they are left out of the batch (listed in `batch.bad`
 * and in `loader.badFiles()`); without it the batch rejects with DATASET_BAD_FILES (count
 * and first ten paths).
 */
import { availableParallelism } from 'node:os';
import { toSerializedError, type SerializedError } from '../../../core/errors/radlocal-error.ts';
import type { PreprocessParams } from '../../../core/preprocess/params.ts';
import { validatePreprocessParams } from '../../../core/preprocess/preprocess-frame.ts';
import { createRng, shuffleInPlace } from '../../../core/random/prng.ts';
import type { BadFilesReport, ExampleRef } from './dataset-types.ts';
import { preprocessFileWithInfo, type DecodeFn, type ImageInfo } from './decode-example.ts';
import { createDecodePool, type DecodePool, type DecodeResult } from './decode-pool.ts';
import { LruCache } from './lru-cache.ts';
import { badFilesError, badFilesReport } from './open-dataset.ts';

/**
 * Augmentation hook, applied per example after the cache (the cache keeps the
 * un-augmented input). Receives a private copy, shape [height, width, 1] float32, and
 * returns the augmented array (or mutates it in place and returns nothing).
 */
export type AugmentFn = (input: Float32Array, info: { height: number; width: number; ref: ExampleRef; index: number }) => Float32Array | void;

export interface BatchLoaderOptions {
  /** Preprocessing parameters (from the model card). */
  params: PreprocessParams;
  /** Decode worker threads; 0 decodes on the calling thread. Default: cores − 1 (at least 1). */
  workers?: number;
  /** Cache budget in bytes for preprocessed inputs. Default 256 MiB. */
  cacheBytes?: number;
  /** Skip unreadable images instead of rejecting the batch. Default false. */
  skipBad?: boolean;
  augment?: AugmentFn;
  /** Decoder for in-process decoding (workers: 0); default core/image's decodeImageFile. */
  decode?: DecodeFn;
}

export interface Batch {
  /** Float32Array [size, height, width, 1]. */
  x: Float32Array;
  /** Float32Array [size, labels]: 0/1, NaN where the label is unknown (ExampleRef.known). */
  y: Float32Array;
  size: number;
  height: number;
  width: number;
  numLabels: number;
  /** The examples in the batch, in row order (bad ones left out). */
  refs: ExampleRef[];
  /** Examples left out because they could not be read (skipBad). */
  bad: { path: string; error: SerializedError }[];
}

export interface BatchLoader {
  load(refs: ExampleRef[]): Promise<Batch>;
  /** Batches over `refs` (shuffled with `shuffleSeed` when given), the next one prefetched. */
  batches(refs: ExampleRef[], batchSize: number, options?: { shuffleSeed?: number; dropRemainder?: boolean }): AsyncGenerator<Batch>;
  /**
   * Decodes every example once (filling the cache while it has room) to find unreadable
   * images up front: returns the readable ones, the report and each readable image's
   * ImageInfo (pixel hash, DICOM view), or rejects with DATASET_BAD_FILES (total count and
   * first ten paths) when there are bad ones and `skipBad` is not set.
   */
  scan(
    refs: ExampleRef[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ ok: ExampleRef[]; bad: BadFilesReport; badPaths: string[]; info: Map<string, ImageInfo> }>;
  /** Every unreadable file seen so far. */
  badFiles(): BadFilesReport;
  stats(): { cacheHits: number; cacheMisses: number; cachedExamples: number; cacheBytes: number };
  close(): Promise<void>;
}

export function createBatchLoader(options: BatchLoaderOptions): BatchLoader {
  const params = validatePreprocessParams(options.params);
  const { height, width } = params;
  const workers = options.workers ?? Math.max(1, availableParallelism() - 1);
  const cache = new LruCache<Float32Array>(options.cacheBytes ?? 256 * 1024 * 1024);
  const pool: DecodePool | undefined = workers > 0 ? createDecodePool(workers) : undefined;
  const bad = new Map<string, SerializedError>();
  const infos = new Map<string, ImageInfo>();

  const decodeOne = async (path: string): Promise<DecodeResult> => {
    const cached = cache.get(path);
    if (cached) return { ok: true, data: cached };
    let result: DecodeResult;
    if (pool) result = await pool.decode(path, params);
    else {
      try {
        result = { ok: true, ...(await preprocessFileWithInfo(path, params, options.decode)) };
      } catch (error) {
        result = { ok: false, error: toSerializedError(error, 'IMAGE_DECODE_FAILED') };
      }
    }
    if (result.ok) {
      cache.set(path, result.data);
      if (result.info) infos.set(path, result.info);
    }
    return result;
  };

  const load = async (refs: ExampleRef[]): Promise<Batch> => {
    const results = await Promise.all(refs.map((r) => decodeOne(r.path)));
    const good: { ref: ExampleRef; data: Float32Array }[] = [];
    const badHere: { path: string; error: SerializedError }[] = [];
    results.forEach((r, i) => {
      const ref = refs[i] as ExampleRef;
      if (r.ok) good.push({ ref, data: r.data });
      else {
        badHere.push({ path: ref.path, error: r.error });
        bad.set(ref.path, r.error);
      }
    });
    if (badHere.length > 0 && !options.skipBad) {
      throw badFilesError(badHere.map((b) => `${b.path} [${b.error.code}]`), 'readable');
    }
    const numLabels = good[0]?.ref.labels.length ?? refs[0]?.labels.length ?? 0;
    const pixels = height * width;
    const x = new Float32Array(good.length * pixels);
    const y = new Float32Array(good.length * numLabels);
    good.forEach(({ ref, data }, i) => {
      let input = data;
      if (options.augment) {
        const copy = data.slice();
        input = options.augment(copy, { height, width, ref, index: i }) ?? copy;
      }
      x.set(input, i * pixels);
      for (let k = 0; k < numLabels; k++) y[i * numLabels + k] = ref.known && ref.known[k] === 0 ? Number.NaN : (ref.labels[k] as number);
    });
    return { x, y, size: good.length, height, width, numLabels, refs: good.map((g) => g.ref), bad: badHere };
  };

  return {
    load,
    async *batches(refs, batchSize, batchOptions = {}) {
      const order = refs.slice();
      if (batchOptions.shuffleSeed !== undefined) shuffleInPlace(order, createRng(batchOptions.shuffleSeed));
      const chunks: ExampleRef[][] = [];
      for (let i = 0; i < order.length; i += batchSize) {
        const chunk = order.slice(i, i + batchSize);
        if (chunk.length < batchSize && batchOptions.dropRemainder) break;
        chunks.push(chunk);
      }
      let next = chunks.length > 0 ? load(chunks[0] as ExampleRef[]) : undefined;
      for (let i = 0; i < chunks.length; i++) {
        const current = next as Promise<Batch>;
        next = i + 1 < chunks.length ? load(chunks[i + 1] as ExampleRef[]) : undefined;
        // Keep a rejected prefetch from becoming an unhandled rejection if we stop early.
        next?.catch(() => undefined);
        yield await current;
      }
    },
    async scan(refs, onProgress) {
      const ok: ExampleRef[] = [];
      const badHere: string[] = [];
      const badPaths: string[] = [];
      const chunk = 64;
      for (let i = 0; i < refs.length; i += chunk) {
        const part = refs.slice(i, i + chunk);
        const results = await Promise.all(part.map((r) => decodeOne(r.path)));
        results.forEach((r, k) => {
          const ref = part[k] as ExampleRef;
          if (r.ok) ok.push(ref);
          else {
            badHere.push(`${ref.path} [${r.error.code}]`);
            badPaths.push(ref.path);
            bad.set(ref.path, r.error);
          }
        });
        onProgress?.(Math.min(refs.length, i + chunk), refs.length);
      }
      if (badHere.length > 0 && !options.skipBad) throw badFilesError(badHere, 'readable');
      const info = new Map(ok.flatMap((r) => (infos.has(r.path) ? [[r.path, infos.get(r.path) as ImageInfo] as const] : [])));
      return { ok, bad: badFilesReport(badHere), badPaths, info };
    },
    badFiles: () => badFilesReport([...bad.keys()]),
    stats: () => ({ cacheHits: cache.hits, cacheMisses: cache.misses, cachedExamples: cache.size, cacheBytes: cache.byteSize }),
    close: async () => {
      await pool?.close();
    },
  };
}
