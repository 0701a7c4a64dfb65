import './register.js';

export { TokenEmbedding, type TokenEmbeddingOptions } from './embedding/token-embedding.js';
export { createLstmEncoder, LstmEncoder, type LstmEncoderOptions } from './lstm/lstm-encoder.js';
