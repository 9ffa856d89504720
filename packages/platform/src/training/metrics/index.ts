export {
  accuracy,
  type CalibrationBin,
  calibrationTable,
  confusionMatrix,
  logLoss,
  macroPrecisionRecallF1,
  type PrecisionRecallF1,
  precisionRecallF1,
} from './classification-metrics.js'
export { mae, r2, rmse } from './regression-metrics.js'
export { rocAuc, rocAucOvr } from './roc-auc.js'
