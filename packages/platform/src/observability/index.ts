export { createLogger, type LogLevel, type LoggerOptions } from './logger.js'
export { createHttpMetrics, type HttpMetrics } from './http-metrics.js'
export {
  READINESS_TIMEOUT_MS,
  checkReadiness,
  type ReadinessCheck,
  type ReadinessResult,
} from './readiness.js'
