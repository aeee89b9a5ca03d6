export type { Classifier, Classification, Prediction, InferenceRuntime, LoadClassifierOptions } from './types';
export { loadClassifier } from './load';
export { MODEL_FILES, readModelMetadata, type ModelMetadata } from './model-files';
export { loadLayersModelFromDir } from './tfjs-files';
