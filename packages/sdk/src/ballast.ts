import { InvalidParameterError, isAppError } from '@ballast/contracts'
import { HttpClient, type HttpClientOptions } from './http-client.js'
import { LOG_BATCH_LIMITS } from './log-buffer.js'
import { decodeMetricValue } from './metric-value.js'
import { Pipelines } from './pipelines/pipelines-client.js'
import { Run, type TagValue } from './run.js'
import type {
  ExperimentRecord,
  Metric,
  MetricHistoryResponse,
  RunInfo,
  RunRecord,
  SearchExperimentsResponse,
  SearchRunsRequest,
  SearchRunsResponse,
  ViewType,
} from './wire-types.js'

const MLFLOW = '/api/2.0/mlflow'
/** MLflow's experiment that holds runs started without one. */
const DEFAULT_EXPERIMENT_ID = '0'

export interface BallastOptions extends HttpClientOptions {
  /** Buffered run values wait at most this long before they are sent (default 1000 ms). */
  flushIntervalMs?: number
  /** Metrics per `runs/log-batch` request (default and maximum 1000, MLflow's cap). */
  maxBatchSize?: number
}

export interface Experiment {
  id: string
  name: string
}

export interface StartRunOptions {
  /** An experiment name (created when missing) or `{ id }`; MLflow's default experiment otherwise. */
  experiment?: string | { id: string }
  name?: string
  tags?: Record<string, TagValue>
}

export interface SearchRunsOptions {
  experimentIds?: string[]
  filter?: string
  orderBy?: string[]
  maxResults?: number
  pageToken?: string
  viewType?: ViewType
}

/** Client of a Ballast server: the MLflow-compatible tracking API, pipelines, and any other route by `request`. */
export class Ballast {
  readonly http: HttpClient
  /** Pipelines: apply a definition (YAML or TypeScript), run it, follow its steps. */
  readonly pipelines: Pipelines
  private readonly flushIntervalMs: number
  private readonly maxBatchSize: number

  constructor(options: BallastOptions) {
    this.http = new HttpClient(options)
    this.pipelines = new Pipelines(this.http)
    this.flushIntervalMs = options.flushIntervalMs ?? 1000
    this.maxBatchSize = options.maxBatchSize ?? LOG_BATCH_LIMITS.metrics
    if (!Number.isInteger(this.flushIntervalMs) || this.flushIntervalMs < 1) {
      throw new InvalidParameterError(
        `invalid flushIntervalMs ${this.flushIntervalMs}: expected an integer >= 1`,
      )
    }
    if (
      !Number.isInteger(this.maxBatchSize) ||
      this.maxBatchSize < 1 ||
      this.maxBatchSize > LOG_BATCH_LIMITS.metrics
    ) {
      throw new InvalidParameterError(
        `invalid maxBatchSize ${this.maxBatchSize}: expected an integer from 1 to 1000`,
      )
    }
  }

  /**
   * Any JSON endpoint: `request('GET', '/api/2.0/mlflow/runs/get', { run_id })`. GET sends the body
   * as the query string; an error answer throws the AppError the server threw.
   */
  request<T>(method: string, path: string, body?: object): Promise<T> {
    return this.http.request<T>(method, path, body)
  }

  /** The experiment with this name, created if missing; safe when many processes race to create it. */
  async experiment(name: string): Promise<Experiment> {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new InvalidParameterError(
        `invalid experiment name ${JSON.stringify(name)}: expected a non-empty string`,
      )
    }
    try {
      const created = await this.request<{ experiment_id: string }>(
        'POST',
        `${MLFLOW}/experiments/create`,
        { name },
      )
      return { id: created.experiment_id, name }
    } catch (error) {
      if (!isAppError(error) || error.code !== 'RESOURCE_ALREADY_EXISTS') throw error
    }
    const found = await this.getExperimentByName(name)
    return { id: found.experiment_id, name: found.name }
  }

  async getExperiment(id: string): Promise<ExperimentRecord> {
    const res = await this.request<{ experiment: ExperimentRecord }>(
      'GET',
      `${MLFLOW}/experiments/get`,
      {
        experiment_id: id,
      },
    )
    return res.experiment
  }

  async getExperimentByName(name: string): Promise<ExperimentRecord> {
    const res = await this.request<{ experiment: ExperimentRecord }>(
      'GET',
      `${MLFLOW}/experiments/get-by-name`,
      {
        experiment_name: name,
      },
    )
    return res.experiment
  }

  /** Every experiment, following page tokens (active ones unless `viewType` says otherwise). */
  async listExperiments(options: { viewType?: ViewType } = {}): Promise<ExperimentRecord[]> {
    const out: ExperimentRecord[] = []
    let pageToken: string | undefined
    do {
      const page = await this.request<SearchExperimentsResponse>(
        'POST',
        `${MLFLOW}/experiments/search`,
        {
          max_results: 1000,
          view_type: options.viewType,
          page_token: pageToken,
        },
      )
      out.push(...(page.experiments ?? []))
      pageToken = page.next_page_token || undefined
    } while (pageToken !== undefined)
    return out
  }

  async startRun(options: StartRunOptions = {}): Promise<Run> {
    const experimentId =
      options.experiment === undefined
        ? DEFAULT_EXPERIMENT_ID
        : typeof options.experiment === 'string'
          ? (await this.experiment(options.experiment)).id
          : options.experiment.id
    const tags = Object.entries(options.tags ?? {}).map(([key, value]) => ({
      key,
      value: String(value),
    }))
    const res = await this.request<{ run: { info: RunInfo } }>('POST', `${MLFLOW}/runs/create`, {
      experiment_id: experimentId,
      start_time: Date.now(),
      ...(options.name === undefined ? {} : { run_name: options.name }),
      ...(tags.length === 0 ? {} : { tags }),
    })
    return new Run(this.http, res.run.info, {
      flushIntervalMs: this.flushIntervalMs,
      maxBatchSize: this.maxBatchSize,
    })
  }

  async getRun(runId: string): Promise<RunRecord> {
    const res = await this.request<{ run: RunRecord }>('GET', `${MLFLOW}/runs/get`, {
      run_id: runId,
    })
    return res.run
  }

  /** One page of runs, exactly as the server answered it. */
  async searchRuns(options: SearchRunsOptions = {}): Promise<SearchRunsResponse> {
    const body: SearchRunsRequest = {
      experiment_ids: options.experimentIds,
      filter: options.filter,
      order_by: options.orderBy,
      max_results: options.maxResults,
      page_token: options.pageToken,
      run_view_type: options.viewType,
    }
    return this.request<SearchRunsResponse>('POST', `${MLFLOW}/runs/search`, body)
  }

  /** Every value of one metric of a run, in the server's order, following page tokens. */
  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const out: Metric[] = []
    let pageToken: string | undefined
    do {
      const page = await this.request<MetricHistoryResponse>(
        'GET',
        `${MLFLOW}/metrics/get-history`,
        {
          run_id: runId,
          metric_key: key,
          page_token: pageToken,
        },
      )
      for (const m of page.metrics ?? []) out.push({ ...m, value: decodeMetricValue(m.value) })
      pageToken = page.next_page_token || undefined
    } while (pageToken !== undefined)
    return out
  }
}
