export {
  type LogisticModel,
  type LogisticParams,
  predictLogistic,
  trainLogistic,
} from './logistic.js'
export { type LinearModel, predictLinear, trainRidge } from './ridge.js'
export { fitStandardization, type Standardization } from './standardize.js'
