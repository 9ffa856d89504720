export * from './datasets/index.js'
export * from './datasets/suite.js'
export * from './errors.js'
export * from './mlflow/index.js'
