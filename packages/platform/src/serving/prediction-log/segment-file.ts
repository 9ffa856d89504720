import { randomBytes } from 'node:crypto'
import type { DuckEngine } from '../../data/index.js'
import type { PredictionRow } from '../serving-types.js'

/** The columns of a prediction-log segment, in file order. */
export const PREDICTION_COLUMNS = [
  'request_id',
  'deployment',
  'model',
  'version',
  'time',
  'latency_ms',
  'inputs',
  'outputs',
  'shadow',
] as const

/** Quotes a string literal for DuckDB SQL (paths this process chose). */
export function sqlLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

/**
 * Writes rows to `file` as Parquet (zstd): `time` as TIMESTAMP_MS, `version` BIGINT, `latency_ms`
 * DOUBLE, inputs and outputs as JSON text. Rows go through DuckDB's appender into a scratch table
 * of their own, so concurrent writes never meet.
 */
export async function writeSegmentFile(
  engine: DuckEngine,
  rows: readonly PredictionRow[],
  file: string,
): Promise<void> {
  const table = `prediction_rows_${randomBytes(8).toString('hex')}`
  await engine.withConnection(async (connection) => {
    await connection.run(
      `CREATE TABLE ${table} (request_id VARCHAR, deployment VARCHAR, model VARCHAR, version BIGINT, time_ms BIGINT, latency_ms DOUBLE, inputs VARCHAR, outputs VARCHAR, shadow BOOLEAN)`,
    )
    try {
      const appender = await connection.createAppender(table)
      try {
        for (const row of rows) {
          appender.appendVarchar(String(row.requestId))
          appender.appendVarchar(String(row.deployment))
          appender.appendVarchar(String(row.model))
          if (Number.isFinite(row.version)) appender.appendBigInt(BigInt(Math.trunc(row.version)))
          else appender.appendNull()
          appender.appendBigInt(BigInt(Math.trunc(row.time)))
          appender.appendDouble(Number(row.latencyMs))
          appender.appendVarchar(String(row.inputs))
          appender.appendVarchar(String(row.outputs))
          appender.appendBoolean(row.shadow === true)
          appender.endRow()
        }
        appender.flushSync()
      } finally {
        appender.closeSync()
      }
      await connection.run(
        `COPY (SELECT request_id, deployment, model, version, epoch_ms(time_ms)::TIMESTAMP_MS AS time, latency_ms, inputs, outputs, shadow FROM ${table}) TO ${sqlLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`,
      )
    } finally {
      await connection.run(`DROP TABLE ${table}`)
    }
  })
}
