export { describeParquet, logicalTypeOf, TYPE_ALIASES } from './column-types.js'
export {
  DEFAULT_MAX_CATEGORIES,
  DEFAULT_ROW_COUNT_TOLERANCE,
  inferSuite,
  type InferSuiteOptions,
} from './infer-suite.js'
export { formatExpectationLine, formatValidation } from './format-validation.js'
export { type LocalDataset, localDatasetFromFile } from './local-dataset.js'
export { writeQuarantine } from './quarantine.js'
export { validateDataset } from './validate-dataset.js'
export {
  type ExpectationResult,
  type ExpectationResultDetails,
  PARTIAL_UNEXPECTED_LIMIT,
  type ValidationResult,
  type ValidationStatistics,
} from './validation-result.js'
