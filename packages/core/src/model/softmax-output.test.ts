import { describeOutput } from '../testing/output-kit.js';
import { SoftmaxOutput } from './softmax-output.js';

describeOutput('softmax', {
  create: (seed, sizes) =>
    new SoftmaxOutput({ inputSize: sizes.features, vocabSize: sizes.targetVocab }, seed),
});
