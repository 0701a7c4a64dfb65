export { recoverFolder, writeFolderAtomically } from './atomic-folder.js';
export { loadModel, modelFolder, saveModel } from './model-folder.js';
export { readConfined, SealedFolder, sealFolder } from './sealed-folder.js';
export {
  folderCheckpoints,
  readTrainingCheckpoint,
  TRAINER_FILE,
  writeTrainingCheckpoint,
} from './training-checkpoint.js';
export { readWeightSet, readWeights, writeWeightSet, writeWeights } from './weight-files.js';
