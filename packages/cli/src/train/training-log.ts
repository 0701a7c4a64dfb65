import { appendFile, readFile, writeFile } from 'node:fs/promises';
import type { EpochEvent, StepEvent, TaskScores } from '@s2s/core';
import { writeFileAtomically } from '../files/atomic.js';

/** One line of the training log (JSON Lines). */
export type LogRecord =
  | {
      readonly type: 'step';
      readonly step: number;
      readonly epoch: number;
      readonly loss: number;
      readonly lr: number;
      readonly tokensPerSecond: number;
    }
  | {
      readonly type: 'epoch';
      readonly epoch: number;
      readonly step: number;
      readonly trainLoss?: number;
      readonly validation?: {
        readonly loss?: number;
        readonly metric?: string;
        readonly scores?: Readonly<Record<string, number>>;
      };
    };

/**
 * The training log: one JSON object per line, buffered and appended at each epoch end and
 * checkpoint, so the log on disk always matches the latest checkpoint or goes past it.
 */
export class TrainingLog {
  private pending: string[] = [];

  private constructor(readonly path: string) {}

  /** A new, empty log. */
  static async create(path: string): Promise<TrainingLog> {
    await writeFile(path, '');
    return new TrainingLog(path);
  }

  /**
   * Continues the log of a resumed run, dropping records from after the checkpoint (steps
   * that are about to be trained again), so the resumed log reads as one uninterrupted run.
   */
  static async resume(path: string, at: { step: number; epoch: number }): Promise<TrainingLog> {
    const kept = (await readLog(path)).filter((r) =>
      r.type === 'step' ? r.step <= at.step : r.epoch < at.epoch,
    );
    await writeFileAtomically(path, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return new TrainingLog(path);
  }

  step(e: StepEvent): void {
    this.push({
      type: 'step',
      step: e.step,
      epoch: e.epoch,
      loss: e.loss,
      lr: e.learningRate,
      tokensPerSecond: e.tokensPerSecond,
    });
  }

  /** After an epoch's validation; `scores` are the task metric's, when it was measured. */
  epoch(e: EpochEvent, scores?: TaskScores): void {
    this.push({
      type: 'epoch',
      epoch: e.epoch,
      step: e.step,
      ...(e.trainLoss !== undefined ? { trainLoss: e.trainLoss } : {}),
      ...(e.validation
        ? {
            validation: {
              ...(e.validation.loss !== undefined ? { loss: e.validation.loss } : {}),
              ...(scores ? { metric: scores.primary, scores: scores.scores } : {}),
            },
          }
        : {}),
    });
  }

  /** Appends what is buffered. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    await appendFile(this.path, text);
  }

  private push(record: LogRecord): void {
    this.pending.push(`${JSON.stringify(record)}\n`);
  }
}

/** Reads a training log; a line that does not parse is skipped (a log cut off mid-write). */
export async function readLog(path: string): Promise<LogRecord[]> {
  const text = await readFile(path, 'utf8');
  const records: LogRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as LogRecord);
    } catch {
      // A crash can cut the last line short; everything before it is still good.
    }
  }
  return records;
}
