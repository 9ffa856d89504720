import { type DuckDBAppender, type DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api'
import type { BatchOutput } from './batch-session.js'
import { type PredictionColumn, columnValue, withOutputTypes } from './prediction-columns.js'
import { quoteIdentifier } from './sql-text.js'

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048

/**
 * The scratch table each batch's predictions are appended to, in input order. It lives in the
 * on-disk scratch database, so DuckDB keeps it out of memory beyond its buffer pool.
 */
export class PredictionTable {
  readonly name = 'predictions'
  private appender: DuckDBAppender | undefined
  private columns: PredictionColumn[]

  constructor(
    private readonly connection: DuckDBConnection,
    columns: PredictionColumn[],
  ) {
    this.columns = columns
  }

  /** The table is created at the first batch, when the outputs' element types are known. */
  private async open(outputs: Record<string, BatchOutput> | null): Promise<DuckDBAppender> {
    if (this.appender !== undefined) return this.appender
    if (outputs !== null) this.columns = withOutputTypes(this.columns, outputs)
    const list = this.columns.map((c) => `${quoteIdentifier(c.scratch)} ${c.type.toString()}`)
    await this.connection.run(`CREATE TABLE ${quoteIdentifier(this.name)} (${list.join(', ')})`)
    this.appender = await this.connection.createAppender(this.name)
    return this.appender
  }

  async append(outputs: Record<string, BatchOutput>, rows: number): Promise<void> {
    const appender = await this.open(outputs)
    const types = this.columns.map((c) => c.type)
    for (let start = 0; start < rows; start += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, rows - start)
      const chunk = DuckDBDataChunk.create(types, n)
      this.columns.forEach((column, i) => {
        const output = outputs[column.output]!
        const vector = chunk.getColumnVector(i)
        for (let r = 0; r < n; r++) {
          vector.setItem(r, columnValue(column, output, start + r, rows))
        }
        vector.flush()
      })
      appender.appendDataChunk(chunk)
    }
  }

  /** Flushes the appender; an input without rows still gets its (empty) table. */
  async close(): Promise<void> {
    const appender = await this.open(null)
    appender.flushSync()
    appender.closeSync()
  }
}
