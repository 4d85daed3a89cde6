/**
 * A least-recently-used map bounded by bytes, not entries: adding an entry evicts the
 * oldest ones until the sum of sizes fits the budget again. An entry larger than the whole
 * budget is not kept at all (the caller still has it; nothing else does).
 */
export class ByteBudgetLru<K, V> {
  readonly #entries = new Map<K, { value: V; bytes: number }>();
  #bytes = 0;
  #peak = 0;
  #budget: number;
  readonly #onEvict: ((key: K, value: V) => void) | undefined;

  /** @param budget bytes, ≥ 0. */
  constructor(budget: number, onEvict?: (key: K, value: V) => void) {
    if (!(budget >= 0)) throw new RangeError(`Expected a byte budget ≥ 0, but got ${budget}`);
    this.#budget = budget;
    this.#onEvict = onEvict;
  }

  get budget(): number {
    return this.#budget;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Highest `bytes` ever held (since construction or `resetPeak`). */
  get peak(): number {
    return this.#peak;
  }

  get size(): number {
    return this.#entries.size;
  }

  resetPeak(): void {
    this.#peak = this.#bytes;
  }

  /** The value, marked as most recently used. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  set(key: K, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.#budget) return;
    this.#evictUntil(this.#budget - bytes);
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    this.#peak = Math.max(this.#peak, this.#bytes);
  }

  delete(key: K): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
    return true;
  }

  /** Changes the budget, evicting what no longer fits. */
  resize(budget: number): void {
    this.#budget = budget;
    this.#evictUntil(budget);
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #evictUntil(limit: number): void {
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= limit) return;
      this.#entries.delete(key);
      this.#bytes -= entry.bytes;
      this.#onEvict?.(key, entry.value);
    }
  }
}
