import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setFusedLstm } from '../backend/wasm-lstm.js';
import { expectNoLeaks, pinBackend } from '../testing/helpers.js';
import { LSTM_CELL, LSTM_CELL_GRAD, LSTM_CELL_MASKED, lstmGates } from './lstm.js';

const B = 5;
const H = 7;

/** Random inputs of one cell step; the mask has real rows and padded rows. */
function inputs(seed: number) {
  return {
    z: tf.randomNormal([B, 4 * H], 0, 1.5, 'float32', seed) as tf.Tensor2D,
    u: tf.randomNormal([B, 4 * H], 0, 1.5, 'float32', seed + 1) as tf.Tensor2D,
    c: tf.randomNormal([B, H], 0, 1, 'float32', seed + 2) as tf.Tensor2D,
    h: tf.randomNormal([B, H], 0, 1, 'float32', seed + 3) as tf.Tensor2D,
    mask: tf.tensor2d([[1], [0], [1], [1], [0]]),
    // Weights of a scalar loss over both outputs, so dh' and dc' are both non-zero.
    wh: tf.randomNormal([B, H], 0, 1, 'float32', seed + 4),
    wc: tf.randomNormal([B, H], 0, 1, 'float32', seed + 5),
  };
}
type Inputs = ReturnType<typeof inputs>;

type Variant = { u: boolean; carry: boolean; outputs: 'both' | 'h' };
const variants: Variant[] = [
  { u: false, carry: false, outputs: 'both' },
  { u: true, carry: false, outputs: 'both' },
  { u: false, carry: true, outputs: 'both' },
  { u: true, carry: true, outputs: 'both' },
  // Only h' reaches the loss: the gradient gets no dc' (zeros).
  { u: true, carry: true, outputs: 'h' },
];

/** The cell as a function of its differentiable inputs, and a scalar loss over it. */
function cellOf(x: Inputs, v: Variant) {
  type Name = 'z' | 'c' | 'u' | 'h' | 'mask';
  const names: Name[] = [
    'z',
    'c',
    ...(v.u ? ['u' as const] : []),
    ...(v.carry ? (['h', 'mask'] as const) : []),
  ];
  const run = (...ts: tf.Tensor[]) => {
    const t = Object.fromEntries(names.map((n, k) => [n, ts[k]!])) as Record<string, tf.Tensor>;
    return lstmGates(t.z as tf.Tensor2D, t.c as tf.Tensor2D, {
      ...(v.u ? { u: t.u as tf.Tensor2D } : {}),
      ...(v.carry ? { carry: { h: t.h as tf.Tensor2D, mask: t.mask! } } : {}),
    });
  };
  const loss = (...ts: tf.Tensor[]) => {
    const out = run(...ts);
    const lh = tf.sum(tf.mul(out.h, x.wh));
    return (v.outputs === 'h' ? lh : tf.add(lh, tf.sum(tf.mul(out.c, x.wc)))) as tf.Scalar;
  };
  return { names, args: names.map((n) => x[n]), run, loss };
}

/** Forward outputs and gradients by every input, as plain arrays. */
function evaluate(x: Inputs, v: Variant): number[][] {
  const cell = cellOf(x, v);
  return tf.tidy(() => {
    const out = cell.run(...cell.args);
    const grads = tf.grads(cell.loss)(cell.args);
    return [out.h, out.c, ...grads].map((t) => Array.from(t.dataSync()));
  });
}

function maxDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);
}

describe('lstmGates, fused wasm kernel', () => {
  let x: Inputs;
  beforeAll(async () => {
    await pinBackend('wasm');
    setFusedLstm(true);
    x = inputs(11);
  });
  afterAll(() => {
    setFusedLstm(true);
    for (const t of Object.values(x)) t.dispose();
  });

  it('runs as one kernel forward and one backward', () => {
    for (const v of [variants[1]!, variants[3]!]) {
      const cell = cellOf(x, v);
      const forward = tf.tidy(() => {
        const ran: string[] = [];
        const fn = tf.engine().runKernel.bind(tf.engine());
        tf.engine().runKernel = ((name, inputs, attrs) => {
          ran.push(name);
          return fn(name, inputs, attrs);
        }) as typeof fn;
        try {
          tf.grads(cell.loss)(cell.args);
        } finally {
          tf.engine().runKernel = fn;
        }
        return ran;
      });
      expect(forward).toContain(v.carry ? LSTM_CELL_MASKED : LSTM_CELL);
      expect(forward).toContain(LSTM_CELL_GRAD);
      expect(forward.filter((k) => k === tf.Sigmoid || k === tf.Tanh)).toEqual([]);
    }
  });

  it('equals the composite cell bit for bit, forward and in its gradients (the mask’s to 1e-5)', () => {
    for (const v of variants) {
      const fused = evaluate(x, v);
      setFusedLstm(false);
      const composite = evaluate(x, v);
      setFusedLstm(true);
      expect(fused.length).toBe(composite.length);
      fused.slice(0, 2).forEach((a, k) => {
        expect(maxDiff(a, composite[k]!), `${JSON.stringify(v)} output ${k}`).toBe(0);
      });
      fused.slice(2).forEach((a, k) => {
        const what = `${JSON.stringify(v)} d/d${cellOf(x, v).names[k]}`;
        // d/dmask is composite ops in both, summed in another order: a mask is data.
        const tolerance = cellOf(x, v).names[k] === 'mask' ? 1e-5 : 0;
        expect(maxDiff(a, composite[k + 2]!), what).toBeLessThanOrEqual(tolerance);
      });
    }
  });

  it('has the gradients of finite differences, the mask included', () => {
    const v = variants[3]!;
    const cell = cellOf(x, v);
    const analytic = tf.tidy(() =>
      tf
        .grads(cell.loss)(cell.args)
        .map((t) => Array.from(t.dataSync())),
    );
    const eps = 1e-2;
    cell.args.forEach((arg, k) => {
      const base = arg.dataSync().slice();
      const at = (i: number, d: number) =>
        tf.tidy(() => {
          const moved = base.slice();
          moved[i] = base[i]! + d;
          const args = cell.args.map((a, n) => (n === k ? tf.tensor(moved, a.shape) : a));
          return cell.loss(...args).dataSync()[0]!;
        });
      const numeric = Array.from(base, (_, i) => (at(i, eps) - at(i, -eps)) / (2 * eps));
      expect(maxDiff(analytic[k]!, numeric), `d/d${cell.names[k]}`).toBeLessThan(2e-3);
    });
  });

  it('keeps the previous state in padded rows and passes their gradient straight back', () => {
    const v = variants[2]!;
    const cell = cellOf(x, v);
    const [h, c, dh] = tf.tidy(() => {
      const out = cell.run(...cell.args);
      const [, , dhPrev] = tf.grads(cell.loss)(cell.args);
      return [out.h, out.c, dhPrev!].map((t) => t.arraySync() as number[][]);
    });
    const [hPrev, cPrev, wh] = [x.h, x.c, x.wh].map((t) => t.arraySync() as number[][]);
    for (const r of [1, 4]) {
      expect(h![r]).toEqual(hPrev![r]);
      expect(c![r]).toEqual(cPrev![r]);
      expect(dh![r]).toEqual(wh![r]);
    }
    expect(dh![0]!.map(Math.abs)).toEqual(Array(H).fill(0));
  });

  it('leaves no tensor behind, forward or backward', async () => {
    for (const v of variants) {
      const cell = cellOf(x, v);
      await expectNoLeaks(() => {
        const out = cell.run(...cell.args);
        out.h.dispose();
        out.c.dispose();
        const vars = cell.args.map((a) => tf.variable(a));
        const { value, grads } = tf.variableGrads(() => cell.loss(...vars), vars);
        value.dispose();
        tf.dispose(grads);
        tf.dispose(vars);
      });
    }
  });
});

describe('lstmGates, composite (backends without the kernel)', () => {
  beforeAll(() => pinBackend('cpu'));

  it('matches the cell worked out by hand, and carries state over padding', () => {
    // H = 1: z = [i, f, o, g].
    const z = [0.5, -1, 0.25, 0.8];
    const [c, h] = [0.3, -0.2];
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    const cNext = sigmoid(z[1]!) * c + sigmoid(z[0]!) * Math.tanh(z[3]!);
    const hNext = sigmoid(z[2]!) * Math.tanh(cNext);
    expect(tf.getKernel(LSTM_CELL, 'cpu')).toBeUndefined();
    const [out, kept] = tf.tidy(() => {
      const args = [tf.tensor2d([z, z]), tf.tensor2d([[c], [c]])] as const;
      const mask = tf.tensor2d([[1], [0]]);
      const plain = lstmGates(...args);
      const carried = lstmGates(...args, { carry: { h: tf.tensor2d([[h], [h]]), mask } });
      return [
        [plain.h, plain.c].map((t) => t.dataSync()[0]!),
        [carried.h, carried.c].map((t) => Array.from(t.dataSync())),
      ];
    });
    expect(out![0]).toBeCloseTo(hNext, 6);
    expect(out![1]).toBeCloseTo(cNext, 6);
    expect(kept![0]![0]).toBeCloseTo(hNext, 6);
    expect(kept![0]![1]).toBeCloseTo(h, 6);
    expect(kept![1]![1]).toBeCloseTo(c, 6);
  });
});
