/**
 * A plain-JS reference for the RNN encoders, written from the papers' equations with no
 * tensors: each row is encoded on its own, over its real positions only. A backward
 * direction is a forward run over the reversed real part, reversed back; a pyramid layer
 * reads pairs of the layer below, the partner of an odd last frame being zeros.
 */
import { type Encoder, exportWeights } from '@s2s/core';
import { expect } from 'vitest';

type Vector = number[];
type Matrix = number[][];

/** How the encoder under test was built. */
export interface ReferenceConfig {
  readonly cell: 'lstm' | 'gru';
  readonly layers: number;
  readonly bidirectional: false | 'concat' | 'sum';
  readonly residual?: boolean;
  readonly pyramidal?: boolean;
}

/** One row's source: token ids, or frames of features. */
export type ReferenceRow = number[] | Matrix;

/** What the reference computes for one row. */
export interface ReferenceOutput {
  /** Top-layer states at the real positions of the top layer. */
  readonly states: Matrix;
  /** Final state of each layer, bottom first. */
  readonly final: Vector[];
}

/** The encoder's weights as nested arrays, by parameter path. */
export function weightsOf(encoder: Encoder): Map<string, number[] | Matrix> {
  const out = new Map<string, number[] | Matrix>();
  for (const [name, tensor] of exportWeights(encoder)) {
    out.set(name, tensor.arraySync() as number[] | Matrix);
    tensor.dispose();
  }
  return out;
}

/** Encodes one row (its real positions only) with plain JS. */
export function referenceEncode(
  weights: Map<string, number[] | Matrix>,
  config: ReferenceConfig,
  row: ReferenceRow,
): ReferenceOutput {
  const get = (name: string) => {
    const w = weights.get(name);
    if (!w) throw new Error(`no weight '${name}'`);
    return w;
  };
  let x: Matrix = weights.has('embedding.table')
    ? (row as number[]).map((id) => [...(get('embedding.table') as Matrix)[id]!])
    : (row as Matrix).map((frame) =>
        add(times(frame, get('projection.kernel') as Matrix), get('projection.bias') as Vector),
      );
  const final: Vector[] = [];
  for (let l = 0; l < config.layers; l++) {
    if (l > 0 && config.pyramidal) x = pairs(x);
    const run = (direction: string, inputs: Matrix) =>
      runCell(config.cell, inputs, (name) => get(`layers.${l}.${direction}.${name}`));
    const forward = run('forward', x);
    let states = forward;
    let last = forward.at(-1)!;
    if (config.bidirectional) {
      const reversed = run('backward', [...x].reverse());
      const backward = [...reversed].reverse();
      const merge = (a: Vector, b: Vector) =>
        config.bidirectional === 'concat' ? [...a, ...b] : add(a, b);
      states = forward.map((f, t) => merge(f, backward[t]!));
      last = merge(last, reversed.at(-1)!);
    }
    final.push(last);
    x = config.residual && l > 0 ? states.map((s, t) => add(s, x[t]!)) : states;
  }
  return { states: x, final };
}

/** Asserts an encoder's memory matches the reference on every row of a padded batch. */
export function expectMatchesReference(
  memory: { states: number[][][]; mask: number[][]; final: number[][][] },
  expected: readonly ReferenceOutput[],
  digits = 5,
): void {
  expected.forEach((row, r) => {
    const real = memory.mask[r]!.filter((m) => m === 1).length;
    expect(real, `real positions of row ${r}`).toBe(row.states.length);
    row.states.forEach((state, t) =>
      state.forEach((v, k) =>
        expect(memory.states[r]![t]![k], `state ${r},${t},${k}`).toBeCloseTo(v, digits),
      ),
    );
    row.final.forEach((f, l) =>
      f.forEach((v, k) =>
        expect(memory.final[l]![r]![k], `final ${l} of row ${r}, unit ${k}`).toBeCloseTo(v, digits),
      ),
    );
  });
}

/** Runs one direction of one layer from a zero state; returns h after every step. */
function runCell(
  cell: 'lstm' | 'gru',
  inputs: Matrix,
  get: (name: string) => number[] | Matrix,
): Matrix {
  const w = get('inputKernel') as Matrix;
  const u = get('recurrentKernel') as Matrix;
  const b = get('bias') as Vector;
  const size = u.length;
  let h: Vector = new Array(size).fill(0);
  let c: Vector = new Array(size).fill(0);
  const out: Matrix = [];
  for (const x of inputs) {
    const zx = add(times(x, w), b);
    const gate = (z: Vector, g: number, k: number) => z[g * size + k]!;
    if (cell === 'lstm') {
      // [i, f, o, g]: c' = σ(f)c + σ(i)tanh(g), h' = σ(o)tanh(c').
      const z = add(zx, times(h, u));
      c = c.map(
        (ck, k) => sigmoid(gate(z, 1, k)) * ck + sigmoid(gate(z, 0, k)) * Math.tanh(gate(z, 3, k)),
      );
      h = c.map((ck, k) => sigmoid(gate(z, 2, k)) * Math.tanh(ck));
    } else {
      // [r, z, n], reset after: n = tanh(x_n + r ⊙ (U_n h + b_hn)), h' = (1−z)n + z h.
      const zh = add(times(h, u), get('recurrentBias') as Vector);
      h = h.map((hk, k) => {
        const r = sigmoid(gate(zx, 0, k) + gate(zh, 0, k));
        const z = sigmoid(gate(zx, 1, k) + gate(zh, 1, k));
        const n = Math.tanh(gate(zx, 2, k) + r * gate(zh, 2, k));
        return (1 - z) * n + z * hk;
      });
    }
    out.push(h);
  }
  return out;
}

/** Pairs of neighbouring frames, the partner of an odd last frame being zeros. */
function pairs(x: Matrix): Matrix {
  const out: Matrix = [];
  for (let i = 0; i < x.length; i += 2) {
    out.push([...x[i]!, ...(x[i + 1] ?? new Array(x[i]!.length).fill(0))]);
  }
  return out;
}

function times(x: Vector, w: Matrix): Vector {
  return w[0]!.map((_, k) => x.reduce((s, xi, i) => s + xi * w[i]![k]!, 0));
}

function add(a: Vector, b: Vector): Vector {
  return a.map((v, i) => v + b[i]!);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
