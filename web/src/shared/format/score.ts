/**
 * Score text shown to the reader: percent with one decimal (the full value is in data-score).
 * A value strictly between 0 and 1 never reads as 0.0 % or 100.0 %: near either end it gets
 * up to three decimals ("99.99%", "99.996%"), then a bound ("> 99.999%"), so a score and a threshold
 * that differ never look the same.
 */
export function formatPercent(p: number): string {
  const percent = p * 100;
  if (!(p > 0 && p < 1)) return `${percent.toFixed(1)}%`;
  for (let digits = 1; digits <= 3; digits++) {
    const text = percent.toFixed(digits);
    if (Number(text) > 0 && Number(text) < 100) return `${text}%`;
  }
  return percent < 50 ? '< 0.001%' : '> 99.999%';
}

/** Label names as the reader expects them: "pleural_effusion" → "Pleural effusion". */
export function labelTitle(label: string): string {
  const words = label.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
