import type { Writable } from 'node:stream';
import type { EpochEvent, StepEvent } from '@s2s/core';
import cliProgress from 'cli-progress';
import { formatScore } from '../eval/format-score.js';

/**
 * What a person sees while training: on a terminal, a bar per epoch with ETA, tokens per
 * second and the running loss; everywhere, one summary line per epoch.
 */
export class ProgressDisplay {
  private bar: cliProgress.SingleBar | undefined;
  private barEpoch = -1;
  private running = { loss: 0, tokens: 0 };
  private epochStarted = performance.now();

  constructor(
    private readonly stream: Writable,
    private readonly epochs: number,
    private readonly metricName: () => string | undefined,
  ) {}

  /** After each step. */
  step(e: StepEvent): void {
    if (e.epoch !== this.barEpoch) this.startEpoch(e);
    this.running.loss += e.loss * e.tokens;
    this.running.tokens += e.tokens;
    this.bar?.update(e.batch, {
      loss: (this.running.loss / Math.max(this.running.tokens, 1)).toFixed(4),
      speed: Math.round(e.tokensPerSecond).toLocaleString('en'),
    });
  }

  /** After each epoch's validation. */
  epoch(e: EpochEvent): void {
    this.stopBar();
    const parts = [`epoch ${e.epoch + 1}/${this.epochs}`];
    if (e.trainLoss !== undefined) parts.push(`train loss ${e.trainLoss.toFixed(4)}`);
    if (e.validation?.loss !== undefined) parts.push(`dev loss ${e.validation.loss.toFixed(4)}`);
    if (e.validation?.metric !== undefined)
      parts.push(`dev ${this.metricName() ?? 'metric'} ${formatScore(e.validation.metric)}`);
    parts.push(`${((performance.now() - this.epochStarted) / 1000).toFixed(1)} s`);
    this.stream.write(`${parts.join(', ')}${e.improved ? '  (best so far)' : ''}\n`);
  }

  /** Removes a bar left open (an interrupted epoch). */
  stopBar(): void {
    this.bar?.stop();
    this.bar = undefined;
  }

  private startEpoch(e: StepEvent): void {
    this.stopBar();
    this.barEpoch = e.epoch;
    this.running = { loss: 0, tokens: 0 };
    this.epochStarted = performance.now();
    if (!(this.stream as { isTTY?: boolean }).isTTY) return;
    const total = e.batches ?? 0;
    this.bar = new cliProgress.SingleBar(
      {
        stream: this.stream as NodeJS.WritableStream,
        format: `epoch ${e.epoch + 1}/${this.epochs} {bar} {value}/{total} batches | ETA {eta_formatted} | {speed} tok/s | loss {loss}`,
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    // A resumed epoch starts part-way; the ETA counts only batches trained in this process.
    this.bar.start(total, e.batch - 1, { loss: '-', speed: '-' });
  }
}
