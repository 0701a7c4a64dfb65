import type { Writable } from 'node:stream';
import type { EpochEvent, StepEvent, TaskScores } from '@s2s/core';
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
  /** A "validating…" note stands on the terminal's last line, to be replaced. */
  private validatingShown = false;

  /**
   * @param scores the latest dev scores: the primary one names the epoch line's metric,
   *   and a task with at most three scores (BLEU and chrF, WER and CER) shows them all.
   * @param devExamples how many dev examples each validation decodes (0: none).
   */
  constructor(
    private readonly stream: Writable,
    private readonly epochs: number,
    private readonly scores: () => TaskScores | undefined,
    private readonly devExamples = 0,
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
    // The bar at 100% would sit still while the dev set is decoded: say what is happening.
    if (this.bar && e.batches !== undefined && e.batch >= e.batches && this.devExamples > 0) {
      this.stopBar();
      this.stream.write(
        `epoch ${e.epoch + 1}/${this.epochs}: validating on ${this.devExamples} dev examples…`,
      );
      this.validatingShown = true;
    }
  }

  /** After each epoch's validation. */
  epoch(e: EpochEvent): void {
    this.stopBar();
    if (this.validatingShown) this.stream.write('\r\x1b[2K');
    this.validatingShown = false;
    const parts = [`epoch ${e.epoch + 1}/${this.epochs}`];
    if (e.trainLoss !== undefined) parts.push(`train loss ${e.trainLoss.toFixed(4)}`);
    if (e.validation?.loss !== undefined) parts.push(`dev loss ${e.validation.loss.toFixed(4)}`);
    if (e.validation?.metric !== undefined) {
      const last = this.scores();
      parts.push(`dev ${last?.primary ?? 'metric'} ${formatScore(e.validation.metric)}`);
      const others = Object.entries(last?.scores ?? {}).filter(([name]) => name !== last?.primary);
      if (others.length <= 2)
        for (const [name, value] of others) parts.push(`${name} ${formatScore(value)}`);
    }
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
