/**
 * Typed errors. Every message says what was expected and what was found, so a user can
 * act on it without reading the stack.
 */

import { didYouMean } from './suggest.js';

/** Base class of every error s2s throws on purpose. */
export class S2SError extends Error {
  override name = 'S2SError';
}

/** A tensor had the wrong rank, size or dtype. */
export class ShapeError extends S2SError {
  override name = 'ShapeError';
  constructor(
    /** What was being checked, e.g. `encoder input`. */
    readonly what: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${what}: expected ${expected}, found ${found}`);
  }
}

/** A configuration or option was missing, of the wrong type or out of range. */
export class ConfigError extends S2SError {
  override name = 'ConfigError';
}

/** A plugin name that nobody registered was asked for. */
export class UnknownPluginError extends ConfigError {
  override name = 'UnknownPluginError';
  constructor(
    readonly kind: string,
    readonly pluginName: string,
    readonly registered: readonly string[],
  ) {
    super(
      `unknown ${kind} '${pluginName}'${didYouMean(pluginName, registered)}; registered ${kind}s: ${
        registered.length ? registered.join(', ') : '(none — import the package that provides it)'
      }`,
    );
  }
}

/**
 * One of several inputs given together (a batch of texts to decode) could not be used;
 * `index` says which, so a caller can name it as its user knows it (`file:line`).
 */
export class InputError extends S2SError {
  override name = 'InputError';
  constructor(
    /** Position of the input at fault, from 0. */
    readonly index: number,
    /** What was wrong with it. */
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`input ${index + 1}: ${problem}`, options);
  }
}

/** A checkpoint file was missing, truncated or did not match the model. */
export class CheckpointError extends S2SError {
  override name = 'CheckpointError';
  constructor(
    /** The file that was wrong. */
    readonly file: string,
    /** What was wrong with it. */
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** A token or id was outside a vocabulary, or a vocabulary was malformed. */
export class VocabularyError extends S2SError {
  override name = 'VocabularyError';
}

/** The requested backend could not be used. */
export class BackendError extends S2SError {
  override name = 'BackendError';
}

/**
 * Training produced a NaN or infinite loss or gradient. Thrown before the update, so the
 * weights, the optimizer and the last checkpoint stay as they were.
 */
export class NonFiniteLossError extends S2SError {
  override name = 'NonFiniteLossError';
  constructor(
    /** The optimizer step (1-based) that would have been taken. */
    readonly step: number,
    readonly loss: number,
    readonly gradNorm: number,
  ) {
    super(
      `training step ${step}: expected a finite loss and gradient, found loss ${loss} and gradient norm ${gradNorm}; the weights and the last checkpoint are unchanged. Check the data for NaN or infinite values, lower the learning rate, or skip such batches (nonFinite: 'skip')`,
    );
  }
}
