export * from './artifacts.js'
export * from './entities.js'
export * from './experiments.js'
export * from './log-batch-fast-path.js'
export * from './metrics.js'
export * from './registry-entities.js'
export * from './registry-models.js'
export * from './registry-versions.js'
export * from './runs.js'
export {
  double,
  experimentId,
  experimentIdList,
  int64,
  requiredString,
  stringList,
} from './wire.js'
