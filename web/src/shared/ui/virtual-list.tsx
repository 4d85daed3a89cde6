/**
 * A windowed list: only the rows in (or near) the visible part of the scroll area are in
 * the DOM, so 10,000 rows scroll as smoothly as 10. Row heights are given per item (px);
 * offsets are prefix sums, the first visible row a binary search.
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

interface VirtualListProps<T> {
  items: readonly T[];
  /** Height of each row in px (fixed per item). */
  rowHeight: (item: T) => number;
  keyOf: (item: T) => string;
  renderRow: (item: T, index: number) => ReactNode;
  /** Scrolled into view when it changes (e.g. the selected row). */
  scrollToIndex?: number | undefined;
  /** Extra px rendered above and below the visible part. */
  overscan?: number;
  className?: string;
  testId?: string;
  role?: string;
  ariaLabel?: string;
}

function firstAtOrAfter(offsets: Float64Array, y: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid + 1] as number) <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function VirtualList<T>({ items, rowHeight, keyOf, renderRow, scrollToIndex, overscan = 200, className, testId, role, ariaLabel }: VirtualListProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const offsets = useMemo(() => {
    const out = new Float64Array(items.length + 1);
    for (let i = 0; i < items.length; i++) out[i + 1] = (out[i] as number) + rowHeight(items[i] as T);
    return out;
  }, [items, rowHeight]);
  const total = offsets[items.length] as number;

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const update = (): void => setView((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
    update();
    el.addEventListener('scroll', update, { passive: true });
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      observer.disconnect();
    };
  }, []);

  useEffect(() => {
    const el = scroller.current;
    if (!el || scrollToIndex === undefined || scrollToIndex < 0 || scrollToIndex >= items.length) return;
    const top = offsets[scrollToIndex] as number;
    const bottom = offsets[scrollToIndex + 1] as number;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (bottom > el.scrollTop + el.clientHeight) el.scrollTop = bottom - el.clientHeight;
  }, [scrollToIndex]); // only when the target changes, not on every new row

  const rows: ReactNode[] = [];
  if (items.length > 0) {
    const from = firstAtOrAfter(offsets, Math.max(0, view.top - overscan));
    const until = view.top + view.height + overscan;
    for (let i = from; i < items.length && (offsets[i] as number) < until; i++) {
      const item = items[i] as T;
      rows.push(
        <div key={keyOf(item)} className="virtual-row" style={{ top: offsets[i], height: (offsets[i + 1] as number) - (offsets[i] as number) }}>
          {renderRow(item, i)}
        </div>,
      );
    }
  }
  return (
    <div ref={scroller} className={`virtual-scroll ${className ?? ''}`} data-testid={testId} role={role} aria-label={ariaLabel} aria-rowcount={items.length}>
      <div className="virtual-body" style={{ height: total }}>
        {rows}
      </div>
    </div>
  );
}
