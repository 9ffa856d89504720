/**
 * The JSON shapes of Ballast's MLflow-compatible REST API, as the SDK sends and receives them.
 * Responses use the contracts' types, so that the SDK and the server cannot drift apart; field
 * names are MLflow's (snake_case), so a response can be printed or stored unchanged.
 */
import type {
  MlflowDatasetInput,
  MlflowExperiment,
  MlflowGetMetricHistoryResponse,
  MlflowKeyValue,
  MlflowRun,
  MlflowRunInfo,
  MlflowRunStatus,
  MlflowSearchExperimentsResponse,
  MlflowSearchRunsResponse,
  MlflowViewType,
} from '@ballast/contracts'

export type RunStatus = MlflowRunStatus
export type ViewType = MlflowViewType
export type KeyValue = MlflowKeyValue
export type ExperimentRecord = MlflowExperiment
export type RunInfo = MlflowRunInfo
export type RunRecord = MlflowRun
export type DatasetInputRecord = MlflowDatasetInput
export type SearchRunsResponse = MlflowSearchRunsResponse
export type SearchExperimentsResponse = MlflowSearchExperimentsResponse
export type MetricHistoryResponse = MlflowGetMetricHistoryResponse

/** A metric value as the SDK hands it out: NaN and ±Infinity as numbers, not MLflow's strings. */
export interface Metric {
  key: string
  value: number
  /** Milliseconds since the epoch, taken when the value was logged. */
  timestamp: number
  step: number
}

export interface SearchRunsRequest {
  experiment_ids?: string[]
  filter?: string
  run_view_type?: ViewType
  max_results?: number
  order_by?: string[]
  page_token?: string
}

/** A metric point as it travels: NaN and ±Infinity spelled as MLflow's strings. */
export type WireMetric = Omit<Metric, 'value'> & {
  value: number | 'NaN' | 'Infinity' | '-Infinity'
}

export interface LogBatchRequest {
  run_id: string
  metrics: WireMetric[]
  params: KeyValue[]
  tags: KeyValue[]
}
