/** Score text shown to the reader: percent with one decimal (the full value is in data-score). */
export function formatPercent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

/** Label names as the reader expects them: "pleural_effusion" → "Pleural effusion". */
export function labelTitle(label: string): string {
  const words = label.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
