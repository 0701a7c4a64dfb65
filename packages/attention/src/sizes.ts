import { z } from 'zod';

/**
 * The sizes every attention class takes from the decoder that builds it, as schema
 * fields for its constructor's options (the registry's `attentionFactory` fills them in).
 */
export const decoderSizes = {
  memorySize: z.int().positive().describe('Size of the encoder states; filled in by the decoder'),
  querySize: z.int().positive().describe('Size of the decoder query; filled in by the decoder'),
};
