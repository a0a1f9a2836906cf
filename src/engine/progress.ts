/**
 * A progress bar for long runs, on standard error: redrawn in place on a terminal, or a plain
 * line every few seconds when asked for explicitly but not on a terminal (CI logs). Silent
 * otherwise, and silent for runs shorter than `delayMs`, so quick runs print nothing.
 */
export interface ProgressOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  label: string;
  /** Units of work in all; 0 when unknown (a count is shown instead of a bar). */
  total: number;
  unit?: string;
  /** Show even when the stream is not a terminal. */
  force?: boolean;
  delayMs?: number;
  now?: () => number;
}

export class Progress {
  private done = 0;
  private readonly started: number;
  private lastDraw = 0;
  private drawn = false;
  private readonly enabled: boolean;
  private readonly tty: boolean;
  private readonly now: () => number;

  constructor(private readonly o: ProgressOptions) {
    this.now = o.now ?? (() => performance.now());
    this.started = this.now();
    this.tty = o.stream.isTTY === true;
    this.enabled = this.tty || o.force === true;
  }

  add(amount: number): void {
    this.done += amount;
    if (!this.enabled) return;
    const t = this.now();
    if (t - this.started < (this.o.delayMs ?? 1000)) return;
    if (t - this.lastDraw < (this.tty ? 100 : 5000)) return;
    this.lastDraw = t;
    this.draw(t);
  }

  set(value: number): void {
    this.add(value - this.done);
  }

  private draw(t: number): void {
    const seconds = (t - this.started) / 1000;
    const unit = this.o.unit ?? '';
    let text: string;
    if (this.o.total > 0) {
      const share = Math.min(1, this.done / this.o.total);
      const width = 24;
      const filled = Math.round(share * width);
      const eta = share > 0 ? (seconds / share - seconds).toFixed(0) : '?';
      text = `${this.o.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0)}% ${format(this.done)}/${format(this.o.total)}${unit} ${seconds.toFixed(0)}s, ~${eta}s left`;
    } else {
      text = `${this.o.label} ${format(this.done)}${unit} ${seconds.toFixed(0)}s`;
    }
    this.o.stream.write(this.tty ? `\r${text}\x1b[K` : `${text}\n`);
    this.drawn = true;
  }

  /** Clears the bar (terminal) so the next output starts on a clean line. */
  finish(): void {
    if (this.drawn && this.tty) this.o.stream.write('\r\x1b[K');
  }
}

function format(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}
