import type { JobLogLevel, JobLogLine } from '@ballast/contracts'
import type { MetadataStore } from '../metadata-store.js'
import { logFromRow } from './job-rows.js'

const INSERT_ATTEMPTS = 5
/** Longer log lines are cut: a log is for people, not a channel for data. */
const MAX_MESSAGE_CHARS = 8_000

/** A job's log: lines numbered 1, 2, 3… per job, read by number. */
export class JobLogLines {
  constructor(
    private readonly store: MetadataStore,
    private readonly now: () => number,
  ) {}

  async append(jobId: string, level: JobLogLevel, message: string): Promise<void> {
    const text = message.length > MAX_MESSAGE_CHARS ? message.slice(0, MAX_MESSAGE_CHARS) : message
    for (let attempt = 1; ; attempt++) {
      const last = await this.store.db
        .selectFrom('job_logs')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('job_id', '=', jobId)
        .executeTakeFirst()
      const seq = Number(last?.seq ?? 0) + 1
      try {
        await this.store.db
          .insertInto('job_logs')
          .values({ job_id: jobId, seq, time: this.now(), level, message: text })
          .execute()
        return
      } catch (error) {
        // Another writer took this number (a stale worker's line): take the next one.
        if (attempt >= INSERT_ATTEMPTS) throw error
      }
    }
  }

  async read(jobId: string, afterSeq: number, limit: number): Promise<JobLogLine[]> {
    const rows = await this.store.db
      .selectFrom('job_logs')
      .selectAll()
      .where('job_id', '=', jobId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute()
    return rows.map(logFromRow)
  }
}
