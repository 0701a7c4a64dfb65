import type { DecodedOutput, EncodedSources, Hypothesis, Seq2Seq, TaskPipeline } from '@s2s/core';
import { S2SError } from '@s2s/core';
import { ReplicaPool } from '@s2s/core/parallel';
import * as tf from '@tensorflow/tfjs';
import { CliError } from '../cli/errors.js';
import type { ChosenSearch } from '../search/search-flags.js';

/** An input line and where it came from, for messages. */
export interface InputLine {
  readonly text: string;
  /** `file:line` or `stdin:line`. */
  readonly origin: string;
}

/** One decoded input: its hypotheses best first, and the labels of its source positions. */
export interface DecodedInput {
  readonly input: InputLine;
  readonly sourceLabels: readonly string[];
  readonly outputs: readonly { readonly hypothesis: Hypothesis; readonly decoded: DecodedOutput }[];
}

/**
 * Encodes inputs through the task pipeline, searches (on the model in this thread, or its
 * rows spread over a pool of worker threads), and decodes every hypothesis. An empty
 * input, or one the pipeline rejects (too long, unreadable), is an error naming its origin.
 */
export async function decodeInputs(
  model: Seq2Seq | ReplicaPool,
  pipeline: TaskPipeline,
  search: ChosenSearch,
  inputs: readonly InputLine[],
  options: { alignments: boolean },
): Promise<DecodedInput[]> {
  for (const input of inputs) {
    if (input.text.trim() === '') throw new CliError(`${input.origin}: empty input line`);
  }
  const encoded = encodeLocated(pipeline, inputs);
  try {
    const searchOptions = { maxLength: search.maxLength, alignments: options.alignments };
    const results =
      model instanceof ReplicaPool
        ? await model.generate(
            encoded.source,
            encoded.mask,
            search.config,
            searchOptions,
            encoded.inputs,
          )
        : await model.generate(
            encoded.source,
            encoded.mask,
            search.strategy,
            searchOptions,
            encoded.inputs,
          );
    const lengths = options.alignments ? realLengths(encoded.mask) : [];
    return results.map((hypotheses, row) => ({
      input: inputs[row]!,
      sourceLabels: encoded.labels[row] ?? [],
      outputs: hypotheses.map((hypothesis) => ({
        hypothesis: trimAlignment(hypothesis, lengths[row]),
        decoded: pipeline.decode(hypothesis, row, encoded),
      })),
    }));
  } finally {
    tf.dispose([encoded.source, encoded.mask, ...Object.values(encoded.inputs ?? {})]);
  }
}

/** Encodes a batch; when the pipeline rejects it, finds the input at fault and names it. */
function encodeLocated(pipeline: TaskPipeline, inputs: readonly InputLine[]): EncodedSources {
  try {
    return pipeline.encode(inputs.map((i) => i.text));
  } catch (error) {
    if (!(error instanceof S2SError)) throw error;
    for (const input of inputs) {
      try {
        const one = pipeline.encode([input.text]);
        tf.dispose([one.source, one.mask, ...Object.values(one.inputs ?? {})]);
      } catch (single) {
        if (single instanceof S2SError) throw new CliError(`${input.origin}: ${single.message}`);
        throw single;
      }
    }
    throw error;
  }
}

/** Real (unpadded) source positions of each row. */
function realLengths(mask: tf.Tensor2D): number[] {
  const sums = tf.tidy(() => tf.sum(mask, 1));
  const lengths = Array.from(sums.dataSync(), Math.round);
  sums.dispose();
  return lengths;
}

/** Drops the padded columns of an alignment: a shorter input in a batch attends over fewer positions. */
function trimAlignment(hypothesis: Hypothesis, length: number | undefined): Hypothesis {
  if (!hypothesis.alignment || length === undefined) return hypothesis;
  return { ...hypothesis, alignment: hypothesis.alignment.map((row) => row.slice(0, length)) };
}
