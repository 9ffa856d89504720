import type { WorkerRecord } from '@ballast/contracts'
import type { MetadataStore } from '../metadata-store.js'
import { workerFromRow } from './job-rows.js'

export interface NewWorker {
  id: string
  hostname: string
  pid: number
  kinds: readonly string[]
}

/** The workers alive: each renews its row; one silent for long enough is taken for gone. */
export class WorkerRegistry {
  constructor(
    private readonly store: MetadataStore,
    private readonly now: () => number,
  ) {}

  async register(worker: NewWorker): Promise<void> {
    const now = this.now()
    await this.store.db
      .insertInto('workers')
      .values({
        id: worker.id,
        hostname: worker.hostname,
        pid: worker.pid,
        kinds: JSON.stringify(worker.kinds),
        started_at: now,
        heartbeat_at: now,
      })
      .execute()
  }

  async heartbeat(workerId: string): Promise<void> {
    await this.store.db
      .updateTable('workers')
      .set({ heartbeat_at: this.now() })
      .where('id', '=', workerId)
      .execute()
  }

  async remove(workerId: string): Promise<void> {
    await this.store.db.deleteFrom('workers').where('id', '=', workerId).execute()
  }

  /** Workers that heartbeat within `staleMs`, running `kind` when given. */
  async live(kind: string | undefined, staleMs: number): Promise<WorkerRecord[]> {
    const rows = await this.store.db
      .selectFrom('workers')
      .selectAll()
      .where('heartbeat_at', '>=', this.now() - staleMs)
      .orderBy('started_at')
      .orderBy('id')
      .execute()
    return rows.map(workerFromRow).filter((w) => kind === undefined || w.kinds.includes(kind))
  }
}
