import type { Kysely, Transaction } from 'kysely'
import type { DatabaseSchema, MetadataStore } from '../storage/index.js'

type Work = (trx: Transaction<DatabaseSchema>) => Promise<void>

interface Unit {
  work: Work
  resolve: () => void
  reject: (error: unknown) => void
}

/** Units per shared transaction: bounds how long one commit keeps the others waiting. */
const MAX_UNITS_PER_COMMIT = 32

/**
 * Group commit for a single-writer store (SQLite). Every commit there is an fsync, and concurrent
 * writers queue for the one connection anyway; so write units that arrive together share one
 * transaction and one fsync. Each unit runs inside its own savepoint: a unit that fails is rolled
 * back alone and its caller gets its error, the others commit. A caller hears of success only
 * after the commit. On a store with concurrent writers (PostgreSQL) each unit is simply its own
 * transaction.
 */
export class WriteCoalescer {
  private readonly queue: Unit[] = []
  private draining = false

  constructor(private readonly store: MetadataStore) {}

  run(work: Work): Promise<void> {
    if (!this.store.capabilities.singleWriter) return this.store.db.transaction().execute(work)
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ work, resolve, reject })
      if (!this.draining) {
        this.draining = true
        // One turn of the event loop lets requests that arrived together join this commit.
        setImmediate(() => void this.drain())
      }
    })
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        await this.commitGroup(this.queue.splice(0, MAX_UNITS_PER_COMMIT))
      }
    } finally {
      this.draining = false
    }
  }

  private async commitGroup(units: Unit[]): Promise<void> {
    const db: Kysely<DatabaseSchema> = this.store.db
    let trx
    try {
      trx = await db.startTransaction().execute()
    } catch (error) {
      for (const unit of units) unit.reject(error)
      return
    }
    // Units that failed alone and were told so; every other unit shares the group's fate.
    const failedAlone = new Set<Unit>()
    try {
      if (units.length === 1) {
        // Alone: no savepoint needed, a failure rolls back the whole transaction below.
        await (units[0] as Unit).work(trx)
      } else {
        for (const [i, unit] of units.entries()) {
          const name = `unit_${i}`
          const inner = await trx.savepoint(name).execute()
          try {
            await unit.work(inner)
          } catch (error) {
            await inner.rollbackToSavepoint(name).execute()
            failedAlone.add(unit)
            unit.reject(error)
            continue
          }
          await inner.releaseSavepoint(name).execute()
        }
      }
      await trx.commit().execute()
    } catch (error) {
      let failure = error
      try {
        await trx.rollback().execute()
      } catch (rollbackError) {
        failure = new AggregateError(
          [error, rollbackError],
          'a write failed, and so did its rollback',
        )
      }
      for (const unit of units) if (!failedAlone.has(unit)) unit.reject(failure)
      return
    }
    for (const unit of units) if (!failedAlone.has(unit)) unit.resolve()
  }
}
