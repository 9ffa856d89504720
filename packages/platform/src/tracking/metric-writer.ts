import { CompiledQuery, type Kysely, sql } from 'kysely'
import type { DatabaseSchema } from '../storage/index.js'
import { rowsPerInsert } from './sql-chunks.js'
import { toStoredValue } from './stored-values.js'

type Db = Kysely<DatabaseSchema>

/** One validated metric point. */
export interface MetricPoint {
  key: string
  value: number
  timestamp: number
  step: number
}

const COLUMNS = 6
const TEMPLATE_ROW = { run_uuid: '', key: '', value: 0, timestamp: 0, step: 0, is_nan: 0 }

/**
 * The hot path of tracking: appends metric points and keeps `latest_metrics` current, in two
 * multi-row statements per 1000 points whatever the number of points.
 *
 * - The history insert is `ON CONFLICT DO NOTHING` on MLflow's key, so a retried batch (or a
 *   point logged twice) is stored once.
 * - The newest point per key is chosen in memory, then upserted with a condition, so an older
 *   point never overwrites a newer one, whatever order concurrent writers commit in.
 *
 * Building a 1000-row statement through the query builder costs more than running it, so the SQL
 * text is built once per row count (and backend: one writer per store) and reused with new
 * parameters.
 */
export class MetricWriter {
  private readonly insertSql = new Map<number, string>()
  private readonly upsertSql = new Map<number, string>()
  private readonly rowsPerStatement: number

  constructor(maxBindParameters: number) {
    this.rowsPerStatement = rowsPerInsert(maxBindParameters, COLUMNS)
  }

  /** Writes the points in the caller's transaction; the run was checked writable by the caller. */
  async write(db: Db, runId: string, points: readonly MetricPoint[]): Promise<void> {
    if (points.length === 0) return
    const latest = new Map<string, { point: MetricPoint; value: number; isNan: 0 | 1 }>()
    const rows: unknown[] = []
    for (const point of points) {
      const stored = toStoredValue(point.value)
      rows.push(runId, point.key, stored.value, point.timestamp, point.step, stored.isNan)
      const current = latest.get(point.key)
      if (current === undefined || isNewer(point, stored.value, current.point, current.value)) {
        latest.set(point.key, { point, value: stored.value, isNan: stored.isNan })
      }
    }
    await this.runChunked(db, rows, points.length, (n) => this.insertStatement(db, n))

    const latestRows: unknown[] = []
    for (const { point, value, isNan } of latest.values()) {
      latestRows.push(runId, point.key, value, point.timestamp, point.step, isNan)
    }
    await this.runChunked(db, latestRows, latest.size, (n) => this.upsertStatement(db, n))
  }

  private async runChunked(
    db: Db,
    flat: unknown[],
    rowCount: number,
    statementFor: (rows: number) => string,
  ): Promise<void> {
    for (let start = 0; start < rowCount; start += this.rowsPerStatement) {
      const n = Math.min(this.rowsPerStatement, rowCount - start)
      // One statement usually takes every row: no copy then.
      const params = n === rowCount ? flat : flat.slice(start * COLUMNS, (start + n) * COLUMNS)
      await db.executeQuery(CompiledQuery.raw(statementFor(n), params))
    }
  }

  private insertStatement(db: Db, rows: number): string {
    let text = this.insertSql.get(rows)
    if (text === undefined) {
      text = db
        .insertInto('metrics')
        .values(Array.from({ length: rows }, () => TEMPLATE_ROW))
        .onConflict((oc) => oc.doNothing())
        .compile().sql
      this.insertSql.set(rows, text)
    }
    return text
  }

  private upsertStatement(db: Db, rows: number): string {
    let text = this.upsertSql.get(rows)
    if (text === undefined) {
      text = db
        .insertInto('latest_metrics')
        .values(Array.from({ length: rows }, () => TEMPLATE_ROW))
        .onConflict((oc) =>
          oc
            .columns(['run_uuid', 'key'])
            .doUpdateSet((eb) => ({
              value: eb.ref('excluded.value'),
              timestamp: eb.ref('excluded.timestamp'),
              step: eb.ref('excluded.step'),
              is_nan: eb.ref('excluded.is_nan'),
            }))
            // MLflow's order of "latest": step, then timestamp, then value.
            .where(
              sql<boolean>`(excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`,
            ),
        )
        .compile().sql
      this.upsertSql.set(rows, text)
    }
    return text
  }
}

function isNewer(a: MetricPoint, aValue: number, b: MetricPoint, bValue: number): boolean {
  if (a.step !== b.step) return a.step > b.step
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp
  return aValue > bValue
}
