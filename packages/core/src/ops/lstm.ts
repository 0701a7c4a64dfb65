import * as tf from '@tensorflow/tfjs';

/** What {@link lstmGates} adds to the cell besides `z` and `c`. */
export interface LstmGatesOptions {
  /** A second `[B, 4H]` addend of the pre-activations (z + u), so the caller need not add. */
  readonly u?: tf.Tensor2D;
  /**
   * Carry the previous state over padding: where `mask` is 0 the cell returns `h` and the
   * `c` it was given, as {@link carryOverPadding} does for each of the two.
   */
  readonly carry?: { readonly h: tf.Tensor2D; readonly mask: tf.Tensor };
}

/**
 * The LSTM cell's element-wise half, shared by every LSTM encoder and decoder.
 *
 * `z` is `[B, 4H]`: the pre-activations of all four gates, laid out `[i, f, o, g]`. Callers
 * compute `z` with one fused matMul per step (and hoist the input half of it out of the
 * time loop).
 *
 *   c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g),   h' = σ(o) ⊙ tanh(c')
 *
 * Where the backend has the fused kernel (wasm, installed by `useBackend`), the cell is one
 * kernel forward and one backward instead of about 30 small ones per step; elsewhere, or
 * for inputs the kernel does not take (a mask that is not one value per row, non-float
 * tensors), it is the same formula in composite ops.
 */
export function lstmGates(
  z: tf.Tensor2D,
  c: tf.Tensor2D,
  options: LstmGatesOptions = {},
): { h: tf.Tensor2D; c: tf.Tensor2D } {
  const { u, carry } = options;
  if (fusable(z, c, options)) {
    const inputs: tf.NamedTensorMap = { z, c };
    if (u) inputs.u = u;
    if (carry) {
      inputs.h = carry.h;
      inputs.mask = carry.mask;
    }
    const [h, cNext, gates, tanhHalf] = tf
      .engine()
      .runKernel(carry ? LSTM_CELL_MASKED : LSTM_CELL, inputs, {}) as tf.Tensor2D[];
    // The last two outputs are what the gradient reads; the tape keeps its own references
    // to them, so the caller never sees them.
    gates!.dispose();
    tanhHalf!.dispose();
    return { h: h!, c: cNext! };
  }
  return tf.tidy(() => {
    const hidden = c.shape[1];
    const pre = u ? (tf.add(z, u) as tf.Tensor2D) : z;
    const [ifo, g] = tf.split(pre, [3 * hidden, hidden], 1) as [tf.Tensor2D, tf.Tensor2D];
    const [i, f, o] = tf.split(tf.sigmoid(ifo), 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const cNext = tf.add(tf.mul(f, c), tf.mul(i, tf.tanh(g))) as tf.Tensor2D;
    const h = tf.mul(o, tf.tanh(cNext)) as tf.Tensor2D;
    if (!carry) return { h, c: cNext };
    return {
      h: carryOverPadding(h, carry.h, carry.mask),
      c: carryOverPadding(cNext, c, carry.mask),
    };
  });
}

/**
 * Keeps the previous state where `mask` is 0: `prev + m ⊙ (next − prev)`. With right
 * padding this freezes each row's state at its last real step, so the state after the
 * loop is the state at the last real position and padding never changes a state.
 *
 * @param mask `[B, 1]` (or broadcastable), 1 = real.
 */
export function carryOverPadding<T extends tf.Tensor>(next: T, prev: T, mask: tf.Tensor): T {
  return tf.tidy(() => tf.add(prev, tf.mul(mask, tf.sub(next, prev))) as T);
}

/**
 * Kernel names of the fused cell. Inputs `z`, `c` (and optionally `u`; the masked one also
 * `h` and `mask`, one value per row); outputs h', c' and, for the gradient, the `[B, 4H]`
 * sigmoids `[σ(i), σ(f), σ(o), σ(2g)]` and the `[B, H]` σ(2c') of the unmasked cell
 * (tanh x = 2σ(2x) − 1).
 */
export const LSTM_CELL = 'S2sLstmCell';
export const LSTM_CELL_MASKED = 'S2sLstmCellMasked';
/**
 * The fused cell's gradient. Inputs `dh`, `dc`, `gates`, `tanhHalf` (the forward's last
 * two outputs), `c` (and `mask`); outputs dz, dc (and dh for the masked cell: the part of
 * dh' that padding passes straight back).
 */
export const LSTM_CELL_GRAD = 'S2sLstmCellGrad';

function fusable(z: tf.Tensor2D, c: tf.Tensor2D, { u, carry }: LstmGatesOptions): boolean {
  if (!tf.getKernel(carry ? LSTM_CELL_MASKED : LSTM_CELL, tf.getBackend())) return false;
  const [b, hidden] = c.shape;
  const float = (t: tf.Tensor) => t.dtype === 'float32';
  const gates = (t: tf.Tensor2D) => t.shape[0] === b && t.shape[1] === 4 * hidden && float(t);
  if (!gates(z) || !float(c) || (u && !gates(u))) return false;
  if (!carry) return true;
  const { h, mask } = carry;
  // One mask value per row ([B] or [B, 1]); other broadcasts take the composite path.
  const perRow = mask.size === b && mask.shape[0] === b && float(mask);
  return perRow && float(h) && h.shape[0] === b && h.shape[1] === hidden;
}

registerLstmGradients();

/**
 * The fused cell's gradients, one kernel per step. Registered when this module loads
 * (gradients are not per backend); the kernels themselves are per backend.
 */
function registerLstmGradients(): void {
  for (const masked of [false, true]) {
    const kernelName = masked ? LSTM_CELL_MASKED : LSTM_CELL;
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: masked ? ['c', 'h', 'mask'] : ['c'],
      outputsToSave: [false, false, true, true],
      gradFunc: (dys, saved) => {
        const [dh, dc] = dys as tf.Tensor2D[];
        const [c, h, mask] = saved as tf.Tensor2D[];
        const [gates, tanhHalf] = saved.slice(-2) as tf.Tensor2D[];
        const inputs: tf.NamedTensorMap = {
          dh: dh!,
          dc: dc!,
          gates: gates!,
          tanhHalf: tanhHalf!,
          c: c!,
        };
        if (masked) inputs.mask = mask!;
        const grads = tf.engine().runKernel(LSTM_CELL_GRAD, inputs, {}) as tf.Tensor2D[];
        const [dz, dcPrev, dhPrev] = grads;
        return {
          z: () => dz!,
          u: () => dz!.clone(),
          c: () => dcPrev!,
          h: () => dhPrev!,
          mask: () => maskGradient(dh!, dc!, gates!, tanhHalf!, c!, h!, mask!),
        };
      },
    });
  }
}

/**
 * d/dm of h_out = h + m(h' − h) and c_out = c + m(c' − c): Σ_j dh·(h' − h) + dc·(c' − c).
 * Composite ops: a mask is data, so this runs only if someone differentiates by it.
 */
function maskGradient(
  dh: tf.Tensor2D,
  dc: tf.Tensor2D,
  gates: tf.Tensor2D,
  tanhHalf: tf.Tensor2D,
  c: tf.Tensor2D,
  h: tf.Tensor2D,
  mask: tf.Tensor,
): tf.Tensor {
  const tanhOf = (half: tf.Tensor) => tf.sub(tf.mul(half, 2), 1);
  const [i, f, o, g2] = tf.split(gates, 4, 1) as tf.Tensor2D[];
  const g = tanhOf(g2!);
  const hNext = tf.mul(o!, tanhOf(tanhHalf));
  const cNext = tf.add(tf.mul(f!, c), tf.mul(i!, g));
  const both = tf.add(tf.mul(dh, tf.sub(hNext, h)), tf.mul(dc, tf.sub(cNext, c)));
  return tf.sum(both, 1).reshape(mask.shape);
}
