/**
 * Plain-JS reference arithmetic for the decoders' hand-computation tests: the papers'
 * equations written out with arrays, sharing no code with the tensor implementations.
 */
import type { Module } from '@s2s/core';

export type Vec = number[];
export type Mat = number[][];

/** A parameter's values as nested arrays. */
export function param(module: Module, name: string): Mat {
  const v = module.parameters().get(name);
  if (!v) throw new Error(`no parameter '${name}'; have ${[...module.parameters().keys()]}`);
  const values = v.arraySync() as number[] | number[][];
  return (v.rank === 1 ? [values] : values) as Mat;
}

/** x·W for a row vector x `[n]` and W `[n, m]`. */
export function vecMat(x: Vec, w: Mat): Vec {
  const out = new Array<number>(w[0]!.length).fill(0);
  x.forEach((xi, i) => {
    w[i]!.forEach((wij, j) => {
      out[j]! += xi * wij;
    });
  });
  return out;
}

export const add = (...vs: Vec[]): Vec => vs[0]!.map((_, i) => vs.reduce((s, v) => s + v[i]!, 0));
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
export const tanhV = (v: Vec): Vec => v.map(Math.tanh);
export const slice = (v: Vec, from: number, size: number): Vec => v.slice(from, from + size);

/** LSTM from gate pre-activations z, laid out [i, f, o, g]. */
export function lstm(z: Vec, c: Vec): { h: Vec; c: Vec } {
  const n = c.length;
  const [i, f, o] = [0, 1, 2].map((k) => slice(z, k * n, n).map(sigmoid)) as [Vec, Vec, Vec];
  const g = slice(z, 3 * n, n).map(Math.tanh);
  const cNext = c.map((ck, k) => f[k]! * ck + i[k]! * g[k]!);
  return { h: cNext.map((ck, k) => o[k]! * Math.tanh(ck)), c: cNext };
}

/** GRU ("reset after") from input side xz and hidden side hz, laid out [r, z, n]. */
export function gru(xz: Vec, hz: Vec, h: Vec): Vec {
  const n = h.length;
  const r = add(slice(xz, 0, n), slice(hz, 0, n)).map(sigmoid);
  const z = add(slice(xz, n, n), slice(hz, n, n)).map(sigmoid);
  const cand = slice(xz, 2 * n, n).map((x, k) => Math.tanh(x + r[k]! * hz[2 * n + k]!));
  return cand.map((nk, k) => (1 - z[k]!) * nk + z[k]! * h[k]!);
}

/** Softmax over the first `length` scores; later (padded) positions get 0. */
export function maskedSoftmax(scores: Vec, length: number): Vec {
  const real = scores.slice(0, length);
  const max = Math.max(...real);
  const exps = real.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return scores.map((_, j) => (j < length ? exps[j]! / sum : 0));
}

/** Σ_j a_j h_j. */
export function weightedSum(a: Vec, states: Mat): Vec {
  return states[0]!.map((_, k) => a.reduce((s, aj, j) => s + aj * states[j]![k]!, 0));
}

/** Masked mean of a row's real states. */
export function maskedMean(states: Mat, length: number): Vec {
  return states[0]!.map((_, k) => states.slice(0, length).reduce((s, h) => s + h[k]!, 0) / length);
}

/** State of {@link PlainRnn}: h (and c) per layer. */
export interface PlainState {
  h: Vec[];
  c: Vec[];
}

/**
 * The stacked decoder RNN, one row at a time: layer 0 reads [feed; h] besides W·y + b,
 * layer l > 0 reads h^{l−1}_t. Parameter names as the decoders lay them out.
 */
export class PlainRnn {
  constructor(
    private readonly module: Module,
    private readonly cell: 'lstm' | 'gru',
    private readonly layers: number,
  ) {}

  start(h0: Vec[]): PlainState {
    return { h: h0.map((h) => [...h]), c: h0.map((h) => h.map(() => 0)) };
  }

  /** One step given y's embedding and layer 0's extra input per step (`extra` is added to W·y + b). */
  step(y: Vec, feed: Vec | undefined, state: PlainState, extra?: Vec): PlainState {
    const p = (l: number, name: string) => param(this.module, `layers.${l}.${name}`);
    const next: PlainState = { h: [], c: [] };
    let below: Vec = [];
    for (let l = 0; l < this.layers; l++) {
      const h = state.h[l]!;
      if (this.cell === 'lstm') {
        const terms =
          l === 0
            ? [
                vecMat(y, p(0, 'inputKernel')),
                p(0, 'bias')[0]!,
                vecMat([...(feed ?? []), ...h], p(0, 'recurrentKernel')),
                ...(extra ? [extra] : []),
              ]
            : [vecMat([...below, ...h], p(l, 'kernel')), p(l, 'bias')[0]!];
        const z = add(...terms);
        const r = lstm(z, state.c[l]!);
        next.h.push(r.h);
        next.c.push(r.c);
      } else {
        let xz = add(vecMat(l === 0 ? y : below, p(l, 'inputKernel')), p(l, 'bias')[0]!);
        if (l === 0 && feed) xz = add(xz, vecMat(feed, p(0, 'feedKernel')));
        if (l === 0 && extra) xz = add(xz, extra);
        const hz = add(vecMat(h, p(l, 'recurrentKernel')), p(l, 'recurrentBias')[0]!);
        next.h.push(gru(xz, hz, h));
        next.c.push([]);
      }
      below = next.h[l]!;
    }
    return next;
  }
}

/**
 * Dot attention over a row's real states: e_j = h_j · (s·W_q) + bonus_j, a = softmax(e),
 * C = Σ_j a_j h_j. `a` is padded with zeros to `width`.
 */
export function dotAttention(
  s: Vec,
  wq: Mat,
  states: Mat,
  width: number,
  bonus?: Vec,
): { a: Vec; context: Vec } {
  const q = vecMat(s, wq);
  const scores = states.map(
    (h, j) => h.reduce((acc, hk, k) => acc + hk * q[k]!, 0) + (bonus?.[j] ?? 0),
  );
  const a = maskedSoftmax(scores, states.length);
  return {
    a: [...a, ...new Array<number>(width - a.length).fill(0)],
    context: weightedSum(a, states),
  };
}
