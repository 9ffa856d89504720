import type { DuckEngine } from '../../data/index.js'
import type { PredictionStore } from '../../serving/index.js'
import type { MonitorEvery } from './monitor-types.js'

/** Where a monitor's next window starts: rows after (time, requestId), in that order. */
export interface WindowCursor {
  time: number
  /** The last request id taken at `time`; null: every row at `time` is still to come. */
  requestId: string | null
}

/** One window's logged predictions (shadow answers left out), in (time, request id) order. */
export interface WindowRows {
  /** Epoch ms: the window covers [start, end). */
  start: number
  end: number
  /** Where the window after this one starts. */
  next: WindowCursor
  requestIds: string[]
  times: Float64Array
  versions: Float64Array
  /** Each row's inputs and outputs as the log holds them: JSON text. */
  inputs: string[]
  outputs: string[]
}

export interface WindowSource {
  predictions: PredictionStore
  engine: DuckEngine
  deployment: string
  every: MonitorEvery
  /**
   * Rows logged before this time (epoch ms) are all in the log: later ones may still sit in a
   * server's buffer, so no window reaches past it.
   */
  settledBefore: number
}

function afterCursor(cursor: WindowCursor): string {
  const at = `epoch_ms(time) = ${Math.trunc(cursor.time)}`
  if (cursor.requestId === null) return `epoch_ms(time) >= ${Math.trunc(cursor.time)}`
  const id = `'${cursor.requestId.replaceAll("'", "''")}'`
  return `(epoch_ms(time) > ${Math.trunc(cursor.time)} OR (${at} AND request_id > ${id}))`
}

/** How many whole windows after `cursor` are settled, i.e. ready to evaluate. */
export async function countDueWindows(source: WindowSource, cursor: WindowCursor): Promise<number> {
  const { every, settledBefore } = source
  if (every.kind === 'time') {
    return Math.max(0, Math.floor((settledBefore - cursor.time) / every.ms))
  }
  if (settledBefore <= cursor.time) return 0
  const files = await source.predictions.query({
    deployment: source.deployment,
    from: cursor.time,
    to: settledBefore,
  })
  try {
    if (files.files.length === 0) return 0
    const rows = await source.engine.all(
      `SELECT count(*)::DOUBLE AS n FROM ${files.relation} WHERE ${afterCursor(cursor)}`,
    )
    return Math.floor(Number(rows[0]?.n ?? 0) / every.count)
  } finally {
    await files.dispose()
  }
}

/**
 * The window that starts at `cursor`: the next `count` predictions, or the predictions of the
 * next `ms`. Undefined when it is not settled yet (too few rows, or its time is not over).
 */
export async function readWindow(
  source: WindowSource,
  cursor: WindowCursor,
): Promise<WindowRows | undefined> {
  const { every, settledBefore } = source
  const timeEnd = every.kind === 'time' ? cursor.time + every.ms : settledBefore
  if (every.kind === 'time' && timeEnd > settledBefore) return undefined
  if (timeEnd <= cursor.time) return undefined
  const files = await source.predictions.query({
    deployment: source.deployment,
    from: cursor.time,
    to: timeEnd,
  })
  try {
    const limit = every.kind === 'predictions' ? ` LIMIT ${every.count}` : ''
    const columns = await source.engine.withConnection(async (connection) => {
      const reader = await connection.runAndReadAll(
        `SELECT request_id, epoch_ms(time)::DOUBLE AS t, version::DOUBLE AS v, inputs, outputs ` +
          `FROM ${files.relation} WHERE ${afterCursor(cursor)} ORDER BY time, request_id${limit}`,
      )
      return reader.getColumnsJS()
    })
    const requestIds = (columns[0] ?? []) as string[]
    const n = requestIds.length
    if (every.kind === 'predictions' && n < every.count) return undefined
    const times = Float64Array.from((columns[1] ?? []) as number[])
    const versions = Float64Array.from((columns[2] ?? []) as (number | null)[], (v) => v ?? NaN)
    const last = n - 1
    const window: WindowRows = {
      start: cursor.time,
      end: every.kind === 'time' ? timeEnd : times[last]! + 1,
      next:
        every.kind === 'time'
          ? { time: timeEnd, requestId: null }
          : { time: times[last]!, requestId: requestIds[last]! },
      requestIds,
      times,
      versions,
      inputs: (columns[3] ?? []) as string[],
      outputs: (columns[4] ?? []) as string[],
    }
    return window
  } finally {
    await files.dispose()
  }
}
