/**
 * A feature matrix `[S, F]`: S frames of F features, row-major (frame s, feature f is
 * `data[s * F + f]`).
 */
export interface Features {
  readonly data: Float32Array;
  /** S. */
  readonly frames: number;
  /** F. */
  readonly features: number;
}
