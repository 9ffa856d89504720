import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { InvalidParameterError } from '@ballast/contracts'
import type { ArtifactStore } from '../artifacts/artifact-store.js'
import { localCopy } from './dataset-head.js'
import type { ColumnType } from './dataset-types.js'
import type { DatasetVersion } from './dataset-version.js'
import { type DuckEngine, quoteIdentifier, quoteLiteral } from './duckdb/duck-engine.js'

/**
 * One column of a dataset version in memory, typed for computation: numbers, booleans (0/1) and
 * datetimes (epoch milliseconds, UTC) as Float64Array with NaN for missing; strings with null.
 */
export interface DatasetColumn {
  readonly name: string
  readonly type: ColumnType
  readonly values: Float64Array | (string | null)[]
}

export interface DatasetColumns {
  readonly rowCount: number
  readonly columns: DatasetColumn[]
}

function selectExpression(name: string, type: ColumnType): string {
  const column = quoteIdentifier(name)
  switch (type) {
    case 'string':
      return `CAST(${column} AS VARCHAR)`
    case 'datetime':
      return `CAST(epoch_ms(CAST(${column} AS TIMESTAMP)) AS DOUBLE)`
    default:
      return `CAST(${column} AS DOUBLE)`
  }
}

/**
 * Reads the named columns (all when `names` is absent) of a dataset version, in stored order.
 * An unknown column is refused with the columns the version has.
 */
export async function readDatasetColumns(
  engine: DuckEngine,
  artifacts: ArtifactStore,
  version: DatasetVersion,
  names?: readonly string[],
): Promise<DatasetColumns> {
  const schema = version.schema.columns
  const wanted = names ?? schema.map((c) => c.name)
  const columns = wanted.map((name) => {
    const found = schema.find((c) => c.name === name)
    if (found === undefined) {
      throw new InvalidParameterError(
        `dataset ${version.name}@${version.version} has no column '${name}'; it has ${schema.map((c) => c.name).join(', ')}`,
      )
    }
    return found
  })
  const dir = await mkdtemp(path.join(tmpdir(), 'ballast-read-'))
  try {
    const file = await localCopy(artifacts, version, dir)
    const select = columns.map((c) => selectExpression(c.name, c.type)).join(', ')
    const raw = await engine.withConnection(async (connection) => {
      const reader = await connection.runAndReadAll(
        `SELECT ${select} FROM read_parquet(${quoteLiteral(file)})`,
      )
      return reader.getColumnsJS()
    })
    const rowCount = raw[0]?.length ?? 0
    return {
      rowCount,
      columns: columns.map((c, i) => {
        const values = raw[i] ?? []
        if (c.type === 'string') {
          return { name: c.name, type: c.type, values: values as (string | null)[] }
        }
        const numbers = new Float64Array(values.length)
        for (let r = 0; r < values.length; r++) {
          const v = values[r]
          numbers[r] = v === null || v === undefined ? Number.NaN : Number(v)
        }
        return { name: c.name, type: c.type, values: numbers }
      }),
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
