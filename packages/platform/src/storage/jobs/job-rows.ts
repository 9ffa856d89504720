import type {
  JobError,
  JobLogLevel,
  JobLogLine,
  JobRecord,
  JobStatus,
  WorkerRecord,
} from '@ballast/contracts'
import type { JobLogsTable, JobsTable, WorkersTable } from '../schema.js'

function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text)
}

export function jobFromRow(row: JobsTable): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status as JobStatus,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    startedAt: row.started_at === null ? null : Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
    progress: {
      done: Number(row.progress_done),
      total: Number(row.progress_total),
      message: row.progress_message,
    },
    result: parseJson(row.result),
    error: parseJson(row.error) as JobError | null,
    cancelRequested: Number(row.cancel_requested) !== 0,
  }
}

export function logFromRow(row: JobLogsTable): JobLogLine {
  return {
    seq: Number(row.seq),
    time: Number(row.time),
    level: row.level as JobLogLevel,
    message: row.message,
  }
}

export function workerFromRow(row: WorkersTable): WorkerRecord {
  return {
    id: row.id,
    hostname: row.hostname,
    pid: Number(row.pid),
    kinds: JSON.parse(row.kinds) as string[],
    startedAt: Number(row.started_at),
    heartbeatAt: Number(row.heartbeat_at),
  }
}

/** JSON text of a handler's result; `undefined` (no result) is stored as null. */
export function resultJson(value: unknown): string | null {
  if (value === undefined) return null
  return JSON.stringify(value) ?? null
}
