/**
 * Training progress on stderr: a one-line bar redrawn in place on a TTY (epoch, step, loss,
 * images/s, ETA), plain lines otherwise (one per epoch) — and only messages with --json.
 */
import type { HistoryEntry } from '../../../core/model/model-card.ts';
import type { StepInfo } from './train-loop.ts';

export interface Progress {
  step(info: StepInfo): void;
  epoch(entry: HistoryEntry): void;
  message(text: string): void;
  done(): void;
}

interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The bar line for one step (exported for tests). */
export function progressLine(s: StepInfo, width = 24): string {
  const filled = Math.round((Math.min(s.step, s.steps) / s.steps) * width);
  const eta = s.step > 0 ? (s.elapsedSeconds / s.step) * (s.steps - s.step) : 0;
  return `epoch ${s.epoch} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${s.step}/${s.steps} loss ${s.loss.toFixed(4)} ${s.imagesPerSecond.toFixed(1)} img/s ETA ${clock(eta)}`;
}

export function epochLine(e: HistoryEntry): string {
  return `epoch ${e.epoch}: loss ${e.loss.toFixed(4)} val_loss ${e.valLoss.toFixed(4)} val_macro_auc ${e.valAuc.toFixed(4)} lr ${e.learningRate.toExponential(2)} ${e.imagesPerSecond.toFixed(1)} img/s ${e.seconds.toFixed(1)} s`;
}

export function createProgress(options: { json: boolean; stream: Stream }): Progress {
  const { stream } = options;
  const tty = stream.isTTY === true && !options.json;
  let barShown = false;
  const clear = () => {
    if (barShown) stream.write('\r\x1b[2K');
    barShown = false;
  };
  return {
    step(info) {
      if (!tty) return;
      clear();
      stream.write(progressLine(info).slice(0, Math.max(20, (stream.columns ?? 120) - 1)));
      barShown = true;
    },
    epoch(entry) {
      clear();
      stream.write(`${epochLine(entry)}\n`);
    },
    message(text) {
      clear();
      stream.write(`${text}\n`);
    },
    done() {
      clear();
    },
  };
}
