/** The job queue: jobs, their log lines, and live workers. */

/** A unit of long work; a worker holds a lease on it while it runs. */
export interface JobsTable {
  /** 32 hex digits. */
  id: string
  kind: string
  /** JSON. */
  payload: string
  /** queued | running | succeeded | failed | cancelled */
  status: string
  attempts: number
  max_attempts: number
  created_by: string
  created_at: number
  started_at: number | null
  finished_at: number | null
  lease_owner: string | null
  lease_expires_at: number | null
  progress_done: number
  progress_total: number
  progress_message: string | null
  /** JSON; set when succeeded. */
  result: string | null
  /** `{code, message}` as JSON; set when failed. */
  error: string | null
  cancel_requested: number
  /** Epoch ms before which the job is not claimed (a retry's backoff); null: at once. */
  run_after: number | null
}

export interface JobLogsTable {
  job_id: string
  seq: number
  time: number
  level: string
  message: string
}

export interface WorkersTable {
  id: string
  hostname: string
  pid: number
  /** The job kinds it runs, as a JSON array. */
  kinds: string
  started_at: number
  heartbeat_at: number
}
