import * as tf from '@tensorflow/tfjs';
import { knownOptions, numberIn, oneOf } from '../errors/assert.js';
import type { Batch } from '../model/batch.js';
import type { Seq2Seq } from '../model/seq2seq.js';
import { Rng } from '../module/seed.js';
import { clipByGlobalNorm } from './clip.js';

/** Options of {@link Trainer}. */
export interface TrainerOptions {
  /** Default `adam`. */
  readonly optimizer?: 'adam' | 'sgd';
  /** Default 0.001 (Adam) or 0.1 (SGD). */
  readonly learningRate?: number;
  /** Clip gradients to this global norm. Default 5; 0 turns clipping off. */
  readonly clipNorm?: number;
  /** Label smoothing ε. Default 0. */
  readonly labelSmoothing?: number;
  /** Seeds dropout. Default 0. */
  readonly seed?: number;
}

const defaults = { optimizer: 'adam', clipNorm: 5, labelSmoothing: 0, seed: 0 } as const;

/** What one training step reports. */
export interface StepReport {
  /** Mean NLL per real target token. */
  readonly loss: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
}

/**
 * Teacher-forced maximum-likelihood training of a {@link Seq2Seq}: one call of
 * {@link Trainer.step} computes the masked NLL, its gradients for the model's parameters
 * only, clips them by global norm and applies the optimizer.
 */
export class Trainer {
  readonly optimizer: tf.Optimizer;
  private readonly rng: Rng;
  private readonly clipNorm: number;
  private readonly labelSmoothing: number;
  private readonly variables: tf.Variable[];

  constructor(
    readonly model: Seq2Seq,
    options: TrainerOptions = {},
  ) {
    knownOptions('Trainer', options, [
      'optimizer',
      'learningRate',
      'clipNorm',
      'labelSmoothing',
      'seed',
    ]);
    const kind = oneOf('Trainer', 'optimizer', options.optimizer ?? defaults.optimizer, [
      'adam',
      'sgd',
    ]);
    const lr = numberIn(
      'Trainer',
      'learningRate',
      options.learningRate ?? (kind === 'adam' ? 0.001 : 0.1),
      0,
      100,
    );
    this.optimizer = kind === 'adam' ? tf.train.adam(lr) : tf.train.sgd(lr);
    this.clipNorm = numberIn(
      'Trainer',
      'clipNorm',
      options.clipNorm ?? defaults.clipNorm,
      0,
      Infinity,
    );
    this.labelSmoothing = numberIn(
      'Trainer',
      'labelSmoothing',
      options.labelSmoothing ?? defaults.labelSmoothing,
      0,
      1,
    );
    this.rng = new Rng(options.seed ?? defaults.seed);
    this.variables = [...model.parameters().values()];
  }

  /** One optimisation step on `batch`. Reads the loss and norm back once. */
  step(batch: Batch): StepReport {
    const [loss, norm] = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () =>
          this.model.loss(batch, {
            training: true,
            rng: this.rng,
            labelSmoothing: this.labelSmoothing,
          }),
        this.variables,
      );
      let applied = grads;
      let gradNorm: tf.Scalar;
      if (this.clipNorm > 0) {
        ({ grads: applied, norm: gradNorm } = clipByGlobalNorm(grads, this.clipNorm));
      } else {
        gradNorm = tf.sqrt(
          tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))),
        ) as tf.Scalar;
      }
      this.optimizer.applyGradients(applied);
      return [value, gradNorm];
    });
    const both = tf.tidy(() => tf.stack([loss, norm]));
    const [lossValue, normValue] = both.dataSync();
    tf.dispose([both, loss, norm]);
    return { loss: lossValue!, gradNorm: normValue! };
  }

  /** Frees the optimizer's state (the model stays). */
  dispose(): void {
    this.optimizer.dispose();
  }
}
