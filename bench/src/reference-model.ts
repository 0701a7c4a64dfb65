import '@s2s/attention';
import '@s2s/decoders';
import '@s2s/encoders';
import { type Batch, type ModelConfig, Seq2Seq } from '@s2s/core';
import * as tf from '@tensorflow/tfjs';

/**
 * The modules that register the reference model's parts (and the searches): what each
 * worker thread imports before it rebuilds the model by name.
 */
export const pluginModules: readonly string[] = [
  '@s2s/encoders',
  '@s2s/decoders',
  '@s2s/attention',
  '@s2s/search',
];

/**
 * The model of `../shared/anchors/torch_reference.py`: an LSTM encoder–decoder with
 * additive attention, batch 64, source and target length 20, embedding 64, hidden 256,
 * attention 256, vocabulary 1000.
 */
export const reference = {
  batch: 64,
  source: 20,
  target: 20,
  embedding: 64,
  hidden: 256,
  attention: 256,
  vocab: 1000,
} as const;

/** The reference model as an s2s config. */
export function referenceConfig(seed = 0): ModelConfig {
  return {
    seed,
    source: { vocabSize: reference.vocab },
    target: { vocabSize: reference.vocab },
    encoder: { name: 'lstm', embeddingSize: reference.embedding, hiddenSize: reference.hidden },
    decoder: {
      name: 'attentional',
      embeddingSize: reference.embedding,
      hiddenSize: reference.hidden,
      attention: { name: 'bahdanau', size: reference.attention },
      // The anchor starts the decoder from the encoder's final state.
      bridge: { name: 'last' },
    },
  };
}

/** Builds the reference model. */
export function referenceModel(seed = 0): Seq2Seq {
  return Seq2Seq.build(referenceConfig(seed));
}

/** A full batch of random ids, no padding, as the PyTorch script uses. */
export function randomBatch(seed = 1, batch: number = reference.batch): Batch {
  const ids = (s: number, len: number) =>
    tf.randomUniform([batch, len], 4, reference.vocab, 'int32', s) as tf.Tensor2D;
  return {
    source: ids(seed, reference.source),
    sourceMask: tf.ones([batch, reference.source]) as tf.Tensor2D,
    targetIn: ids(seed + 1, reference.target),
    targetOut: ids(seed + 2, reference.target),
    targetMask: tf.ones([batch, reference.target]) as tf.Tensor2D,
  };
}
