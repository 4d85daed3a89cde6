import { describe, expect, it } from 'vitest';
import { DEFAULT_PREPROCESS_PARAMS } from '../../../core/preprocess/params.ts';
import { createDecodePool } from './decode-pool.ts';

describe('decode pool', () => {
  it('fails jobs with a typed error, instead of hanging or respawning forever, when workers cannot start', async () => {
    const pool = createDecodePool(2, new URL('data:text/javascript,throw new Error("cannot start")'));
    const results = await Promise.all([pool.decode('/a.png', DEFAULT_PREPROCESS_PARAMS), pool.decode('/b.png', DEFAULT_PREPROCESS_PARAMS)]);
    for (const r of results) expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('cannot start') } });
    expect(await pool.decode('/c.png', DEFAULT_PREPROCESS_PARAMS)).toMatchObject({ ok: false });
    await pool.close();
  });
});
