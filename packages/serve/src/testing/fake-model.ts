import type { DecodeOptions, DecodeResult, ServableModel } from '../model/servable-model.js';

/**
 * A model for tests of the server, the batcher and the queue: it "translates" a text by
 * reversing it, scores hypothesis `k` as `-(length + k)`, and fails any batch that
 * contains the text `poison`. Every call is recorded; `hold()` makes calls wait until
 * `release()`, so a test can see what a batch contains while it is decoding.
 */
export class FakeModel implements ServableModel {
  readonly calls: { texts: string[]; options: DecodeOptions }[] = [];
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  info(): Record<string, unknown> {
    return { task: 'fake-reverse', backend: 'none', vocabulary: { source: 10, target: 10 } };
  }

  /** Makes the next decode calls wait for {@link release}. */
  hold(): void {
    this.gate = new Promise((done) => {
      this.open = done;
    });
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  async decode(texts: readonly string[], options: DecodeOptions = {}): Promise<DecodeResult[]> {
    this.calls.push({ texts: [...texts], options });
    await this.gate;
    if (texts.includes('poison')) throw new Error('poison input: this model cannot decode it');
    return texts.map((input) => ({
      input,
      hypotheses: Array.from({ length: options.nbest ?? 1 }, (_, k) => ({
        text: [...input].reverse().join('') + (k > 0 ? `#${k}` : ''),
        score: -(input.length + k),
        ...(options.alignments ? { alignment: [[1]] } : {}),
      })),
    }));
  }
}

/** The fake model's output for `text`: its reversal. */
export const reversed = (text: string): string => [...text].reverse().join('');
