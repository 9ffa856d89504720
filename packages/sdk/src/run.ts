import { AppError, InvalidParameterError, datasetInputDigest } from '@ballast/contracts'
import { artifactRoot, uploadFile, uploadFolder } from './artifact-upload.js'
import { trackOpenRun, untrackOpenRun } from './exit-flush.js'
import type { HttpClient } from './http-client.js'
import { type LogBatch, LogBuffer } from './log-buffer.js'
import { encodeMetricValue } from './metric-value.js'
import type { DatasetInputRecord, KeyValue, RunInfo, RunStatus } from './wire-types.js'

export type TagValue = string | number | boolean

/** A dataset a run used; `context` (`training`, `evaluation`…) becomes the `mlflow.data.context` tag. */
export interface DatasetInput {
  name: string
  digest: string
  sourceType: string
  source: string
  schema?: string
  profile?: string
  context?: string
  tags?: Record<string, TagValue>
}

export interface RunOptions {
  flushIntervalMs: number
  maxBatchSize: number
}

function keyOf(kind: string, key: unknown): string {
  if (typeof key !== 'string' || key === '') {
    throw new InvalidParameterError(
      `invalid ${kind} key ${JSON.stringify(key)}: expected a non-empty string`,
    )
  }
  return key
}

/**
 * A run being tracked. `logParam`, `logMetric` and `setTag` are synchronous and only buffer; the
 * buffer is sent in batches (see LogBuffer). `flush()` and `end()` wait until everything logged
 * has reached the server and reject if any of it was lost.
 */
export class Run {
  readonly id: string
  readonly experimentId: string
  readonly name: string
  readonly artifactUri: string
  private readonly buffer: LogBuffer
  private readonly params = new Map<string, string>()
  private ended = false
  private ending: Promise<void> | undefined

  constructor(
    private readonly http: HttpClient,
    readonly info: RunInfo,
    options: RunOptions,
  ) {
    this.id = info.run_id
    this.experimentId = info.experiment_id
    this.name = info.run_name
    this.artifactUri = info.artifact_uri
    this.buffer = new LogBuffer({ ...options, send: (batch) => this.sendBatch(batch) })
    trackOpenRun(this)
  }

  logParam(key: string, value: TagValue): void {
    this.assertOpen()
    const k = keyOf('param', key)
    const text = String(value)
    const previous = this.params.get(k)
    if (previous === text) return
    // MLflow params are write-once: say so now rather than when the batch is refused.
    if (previous !== undefined) {
      throw new InvalidParameterError(
        `param '${k}' was already logged as '${previous}' on run ${this.id}; params cannot change (got '${text}')`,
      )
    }
    this.params.set(k, text)
    this.buffer.addParam({ key: k, value: text })
  }

  logParams(params: Record<string, TagValue>): void {
    for (const [key, value] of Object.entries(params)) this.logParam(key, value)
  }

  /** Buffers one value; its timestamp is now, so a retried batch resends exactly the same point. */
  logMetric(key: string, value: number, step = 0): void {
    this.assertOpen()
    const k = keyOf('metric', key)
    if (typeof value !== 'number') {
      throw new InvalidParameterError(
        `invalid value for metric '${k}': expected a number, got ${typeof value}`,
      )
    }
    if (!Number.isSafeInteger(step)) {
      throw new InvalidParameterError(`invalid step ${step} for metric '${k}': expected an integer`)
    }
    // Encoded now, so that a batch goes out as buffered, without a copy of every point.
    this.buffer.addMetric({ key: k, value: encodeMetricValue(value), timestamp: Date.now(), step })
  }

  logMetrics(metrics: Record<string, number>, step = 0): void {
    for (const [key, value] of Object.entries(metrics)) this.logMetric(key, value, step)
  }

  setTag(key: string, value: TagValue): void {
    this.assertOpen()
    this.buffer.addTag({ key: keyOf('tag', key), value: String(value) })
  }

  setTags(tags: Record<string, TagValue>): void {
    for (const [key, value] of Object.entries(tags)) this.setTag(key, value)
  }

  /** Streams a local file to the run's artifacts as `<artifactPath>/<file name>`. */
  async logArtifact(localPath: string, artifactPath?: string): Promise<void> {
    await uploadFile(this.http, artifactRoot(this.info), localPath, artifactPath)
  }

  /** Streams every file under a local folder to the run's artifacts, below `artifactPath`. */
  async logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
    await uploadFolder(this.http, artifactRoot(this.info), localDir, artifactPath)
  }

  async logInputs(datasets: readonly DatasetInput[]): Promise<void> {
    const records: DatasetInputRecord[] = datasets.map((d) => {
      const tags: KeyValue[] = Object.entries(d.tags ?? {}).map(([key, value]) => ({
        key,
        value: String(value),
      }))
      if (d.context !== undefined) tags.push({ key: 'mlflow.data.context', value: d.context })
      const dataset = {
        name: d.name,
        digest: d.digest,
        source_type: d.sourceType,
        source: d.source,
      }
      return {
        dataset: {
          ...dataset,
          ...(d.schema === undefined ? {} : { schema: d.schema }),
          ...(d.profile === undefined ? {} : { profile: d.profile }),
        },
        ...(tags.length === 0 ? {} : { tags }),
      }
    })
    await this.http.request('POST', '/api/2.0/mlflow/runs/log-inputs', {
      run_id: this.id,
      datasets: records,
    })
  }

  /**
   * Logs a Ballast dataset version (as the datasets API returns it) as an input of this run: an
   * MLflow dataset whose digest is the version's digest (its first 36 hex characters, MLflow's
   * limit) and whose source is `ballast:NAME@VERSION`, so that the version lists this run, and the
   * run names the exact data it saw.
   */
  async logInput(
    dataset: { name: string; version: number; digest: string },
    options: { context?: string; tags?: Record<string, TagValue> } = {},
  ): Promise<void> {
    if (!Number.isSafeInteger(dataset.version) || dataset.version < 1) {
      throw new InvalidParameterError(
        `invalid dataset version ${String(dataset.version)}: expected a version number such as 1`,
      )
    }
    await this.logInputs([
      {
        name: dataset.name,
        digest: datasetInputDigest(dataset.digest),
        sourceType: 'ballast',
        source: `ballast:${dataset.name}@${dataset.version}`,
        ...options,
      },
    ])
  }

  /** Waits until everything logged so far is on the server; rejects if any batch was lost. */
  async flush(): Promise<void> {
    await this.buffer.flush()
  }

  /**
   * Sends what is buffered, then marks the run ended. The run is marked ended even when a batch was
   * lost, so it does not stay RUNNING; the loss is still reported by the rejection.
   */
  async end(status: RunStatus = 'FINISHED'): Promise<void> {
    this.ending ??= this.finish(status)
    return this.ending
  }

  private async finish(status: RunStatus): Promise<void> {
    this.ended = true
    untrackOpenRun(this)
    const lost = await this.buffer.flush().then(
      () => undefined,
      (error: unknown) => ({ error }),
    )
    this.buffer.stopTimer()
    await this.http.request('POST', '/api/2.0/mlflow/runs/update', {
      run_id: this.id,
      status,
      end_time: Date.now(),
    })
    if (lost !== undefined) throw lost.error
  }

  /** True while values are buffered and not yet handed to the server. */
  get hasPending(): boolean {
    return this.buffer.hasPending
  }

  private assertOpen(): void {
    if (this.ended)
      throw new AppError('INVALID_STATE', `run ${this.id} has ended; it takes no more values`)
  }

  private async sendBatch(batch: LogBatch): Promise<void> {
    await this.http.request('POST', '/api/2.0/mlflow/runs/log-batch', {
      run_id: this.id,
      metrics: batch.metrics,
      params: batch.params,
      tags: batch.tags,
    })
  }
}
