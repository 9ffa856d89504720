export {
  DEFAULT_DRIFT_SHARE,
  computeDataDrift,
  computeDataDriftWithDistributions,
  type ColumnDriftResult,
  type DataDriftOptions,
  type DataDriftReport,
  type DataDriftResult,
} from './drift/data-drift.js'
export type { ColumnDistribution } from './drift/column-distribution.js'
export { defaultStatTestId } from './drift/default-stattest.js'
export type { DriftTable, DriftTableColumn } from './drift/drift-table.js'
export { driftTableFromDatasetColumns, readDriftTableFromFile } from './drift/drift-table-source.js'
export { renderDriftReportHtml, type DriftReportPageOptions } from './drift/drift-report-html.js'
export type { DriftColumn, DriftColumnType, StatTest, StatTestResult } from './drift/stattest.js'
export { STAT_TESTS } from './drift/stattests/index.js'
export * from './detectors/index.js'
export * from './quality/index.js'
export { renderMonitorReportHtml, type MonitorReportInput } from './monitors/monitor-report-html.js'
export * from './alerts/index.js'
export * from './monitors/monitor-types.js'
export {
  DEFAULT_SETTLE_MS,
  createMonitorService,
  type MonitorServiceDependencies,
} from './monitors/monitor-service.js'
export { formatEvery, parseEvery } from './monitors/monitor-every.js'
export * from './performance/index.js'
export { registerMonitorGauges } from './monitors/monitor-gauges.js'
