import { Writable } from 'node:stream';
import type { EpochEvent, StepEvent, TaskScores } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { ProgressDisplay } from './progress.js';

/** A stream that records what is written and claims to be a terminal when asked. */
function terminal(isTTY: boolean): Writable & { text: string } {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      stream.text += String(chunk);
      done();
    },
  }) as Writable & { text: string; isTTY?: boolean; columns?: number };
  stream.text = '';
  stream.isTTY = isTTY;
  stream.columns = 120;
  return stream;
}

const step = (batch: number): StepEvent =>
  ({
    step: batch,
    epoch: 0,
    batch,
    batches: 2,
    loss: 1,
    tokens: 10,
    tokensPerSecond: 100,
  }) as unknown as StepEvent;
const epoch = { epoch: 0, step: 2, trainLoss: 1, validation: { loss: 0.5, metric: 12.345 } };
const scores: TaskScores = { scores: { bleu: 12.345, chrf: 40 }, primary: 'bleu' };

describe('ProgressDisplay', () => {
  it('on a terminal says the dev set is being decoded once the bar is full', () => {
    const out = terminal(true);
    const display = new ProgressDisplay(out, 3, () => scores, 5);
    display.step(step(1));
    expect(out.text).not.toContain('validating');
    display.step(step(2));
    expect(out.text).toMatch(/epoch 1\/3: validating on 5 dev examples…$/);
    display.epoch({ ...epoch, improved: true } as unknown as EpochEvent);
    // The note is erased and the epoch line written in its place.
    expect(out.text).toContain('validating on 5 dev examples…\r\u001b[2Kepoch 1/3, ');
  });

  it("prints every score of a task with few of them on each epoch's line", () => {
    const out = terminal(false);
    const display = new ProgressDisplay(out, 3, () => scores, 5);
    display.step(step(1));
    display.step(step(2));
    display.epoch({ ...epoch, improved: false } as unknown as EpochEvent);
    expect(out.text).toMatch(
      /^epoch 1\/3, train loss 1\.0000, dev loss 0\.5000, dev bleu 12\.35, chrf 40, \d+\.\d s\n$/,
    );
  });

  it('shows only the primary score when a task has many', () => {
    const out = terminal(false);
    const many: TaskScores = {
      scores: { accuracy: 90, task_1: 100, task_2: 80, task_3: 90 },
      primary: 'accuracy',
    };
    new ProgressDisplay(out, 1, () => many).epoch({
      ...epoch,
      validation: { metric: 90 },
      improved: false,
    } as unknown as EpochEvent);
    expect(out.text).toMatch(/dev accuracy 90, \d+\.\d s\n$/);
  });
});
