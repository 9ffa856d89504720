import {
  InvalidParameterError,
  type MlflowGetMetricHistoryResponse,
  type MlflowMetric,
  type MlflowMetricWithRunId,
} from '@ballast/contracts'
import { sql } from 'kysely'
import type { MetadataStore } from '../storage/index.js'
import { requireRun } from './guards.js'
import { decodePageToken, encodePageToken } from './page-token.js'
import { IN_LIST_SIZE, chunked } from './sql-chunks.js'
import { toWireValue } from './stored-values.js'
import { checkMaxResults } from './validation.js'

/** MLflow's page size and ceiling for metrics/get-history. */
export const HISTORY_MAX_RESULTS = 25_000
/** MLflow's limits for metrics/get-history-bulk-interval. */
export const BULK_MAX_RUNS = 100
export const BULK_MAX_RESULTS = 2_500

/** Where the next page starts: after this point, in (step, timestamp, value, is_nan) order. */
type HistoryPosition = [step: number, timestamp: number, value: number, isNan: number]

function isPosition(value: unknown): value is HistoryPosition {
  return Array.isArray(value) && value.length === 4 && value.every((v) => typeof v === 'number')
}

export interface HistoryPageInput {
  maxResults?: number | undefined
  pageToken?: string | undefined
}

export interface BulkIntervalInput {
  runIds: string[]
  metricKey: string
  startStep?: number | undefined
  endStep?: number | undefined
  maxResults?: number | undefined
}

/**
 * Every step when there are at most `max`; otherwise `max` steps spread evenly from the first to
 * the last, both included, so that a chart of a long run keeps its shape and its ends.
 */
export function sampleSteps(steps: readonly number[], max: number): number[] {
  if (steps.length <= max) return [...steps]
  if (max === 1) return [steps[steps.length - 1] as number]
  const picked = new Set<number>()
  for (let i = 0; i < max; i++)
    picked.add(steps[Math.round((i * (steps.length - 1)) / (max - 1))] as number)
  return [...picked]
}

/** Reads of the append-only metric history. */
export class MetricHistoryService {
  constructor(private readonly store: MetadataStore) {}

  /**
   * One page of a metric's history in (step, timestamp, value) order. Pages are keyed on the last
   * point returned, not an offset, so a page is one index range scan however deep it is.
   */
  async history(
    runId: string,
    key: string,
    page: HistoryPageInput = {},
  ): Promise<MlflowGetMetricHistoryResponse> {
    const limit = page.maxResults ?? HISTORY_MAX_RESULTS
    checkMaxResults(limit, HISTORY_MAX_RESULTS)
    const after = page.pageToken ? decodePageToken(page.pageToken, isPosition) : undefined
    await requireRun(this.store.db, runId)
    let query = this.store.db
      .selectFrom('metrics')
      .select(['value', 'timestamp', 'step', 'is_nan'])
      .where('run_uuid', '=', runId)
      .where('key', '=', key)
    if (after !== undefined) {
      const [step, timestamp, value, isNan] = after
      query = query.where(
        sql<boolean>`(step, timestamp, value, is_nan) > (${step}, ${timestamp}, ${value}, ${isNan})`,
      )
    }
    const rows = await query
      .orderBy('step')
      .orderBy('timestamp')
      .orderBy('value')
      .orderBy('is_nan')
      .limit(limit + 1)
      .execute()
    const out: MlflowGetMetricHistoryResponse = {}
    const pageRows = rows.slice(0, limit)
    if (pageRows.length > 0) {
      out.metrics = pageRows.map((r): MlflowMetric => ({
        key,
        value: toWireValue(r.value, r.is_nan),
        timestamp: r.timestamp,
        step: r.step,
      }))
    }
    const last = pageRows[pageRows.length - 1]
    if (rows.length > limit && last !== undefined) {
      out.next_page_token = encodePageToken([last.step, last.timestamp, last.value, last.is_nan])
    }
    return out
  }

  /** MLflow's sampled history of one metric over several runs, for charts. */
  async bulkInterval(input: BulkIntervalInput): Promise<MlflowMetricWithRunId[]> {
    const { runIds, metricKey, startStep, endStep } = input
    if (runIds.length === 0) {
      throw new InvalidParameterError("Missing value for required parameter 'run_ids'.")
    }
    if (runIds.length > BULK_MAX_RUNS) {
      throw new InvalidParameterError(
        `GetMetricHistoryBulkInterval request must specify at most ${BULK_MAX_RUNS} run_ids. ` +
          `Received ${runIds.length} run_ids.`,
      )
    }
    const maxResults = input.maxResults ?? BULK_MAX_RESULTS
    if (maxResults < 1 || maxResults > BULK_MAX_RESULTS) {
      throw new InvalidParameterError(`max_results must be between 1 and ${BULK_MAX_RESULTS}.`)
    }
    if ((startStep === undefined) !== (endStep === undefined)) {
      throw new InvalidParameterError(
        'If either start step or end step are specified, both must be specified.',
      )
    }
    if (startStep !== undefined && endStep !== undefined && startStep > endStep) {
      throw new InvalidParameterError(
        `end_step must be greater than start_step. Found start_step=${startStep} and end_step=${endStep}.`,
      )
    }
    const db = this.store.db
    const out: MlflowMetricWithRunId[] = []
    for (const runId of [...new Set(runIds)].sort()) {
      let stepQuery = db
        .selectFrom('metrics')
        .select('step')
        .distinct()
        .where('run_uuid', '=', runId)
        .where('key', '=', metricKey)
      if (startStep !== undefined && endStep !== undefined) {
        stepQuery = stepQuery.where('step', '>=', startStep).where('step', '<=', endStep)
      }
      const steps = (await stepQuery.orderBy('step').execute()).map((r) => r.step)
      const runPoints: MlflowMetricWithRunId[] = []
      for (const stepChunk of chunked(sampleSteps(steps, maxResults), IN_LIST_SIZE)) {
        const rows = await db
          .selectFrom('metrics')
          .select(['value', 'timestamp', 'step', 'is_nan'])
          .where('run_uuid', '=', runId)
          .where('key', '=', metricKey)
          .where('step', 'in', stepChunk)
          .orderBy('step')
          .orderBy('timestamp')
          .orderBy('value')
          .execute()
        for (const r of rows) {
          runPoints.push({
            key: metricKey,
            value: toWireValue(r.value, r.is_nan),
            timestamp: r.timestamp,
            step: r.step,
            run_id: runId,
          })
        }
      }
      out.push(...runPoints.slice(0, maxResults))
    }
    return out
  }
}
