/** A card figure for the terminal: fixed digits, or "n/a" when the split could not measure it (null). */
export function fixed(value: number | null, digits: number): string {
  return value === null ? 'n/a' : value.toFixed(digits);
}

/** A proportion as a percentage with one decimal, or "n/a". */
export function percent(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`;
}
