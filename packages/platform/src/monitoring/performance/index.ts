export {
  type BinaryEstimate,
  estimateBinaryPerformance,
  estimateMulticlassAccuracy,
  estimateMulticlassRocAuc,
} from './cbpe.js'
export { fitIsotonic, IsotonicCalibrator, type IsotonicJson, isotonicFromJSON } from './isotonic.js'
