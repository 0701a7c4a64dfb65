import type * as tf from '@tensorflow/tfjs';
import type { TensorTree } from '../tree/tensor-tree.js';

/**
 * What an encoder hands to the decoder. Every tensor is batch-major, so search can
 * reorder or expand it by gathering on axis 0.
 */
export interface Memory {
  /** `[B, S, H]` top-layer encoder states h_1..h_S. */
  readonly states: tf.Tensor3D;
  /** `[B, S]` float32, 1 at a real position and 0 at padding. */
  readonly mask: tf.Tensor2D;
  /**
   * Final hidden state of each encoder layer (bottom first), `[B, H_l]`, taken at each
   * row's last real position rather than at the padded end. Bridges turn these into the
   * decoder's initial state.
   */
  readonly final: readonly tf.Tensor2D[];
  /**
   * Further batch-major data for decoders that need more than one memory: the memories of
   * other named sources (multi-source encoders) or source token ids (copy mechanisms).
   */
  readonly extras?: { readonly [key: string]: TensorTree };
}
