import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DuckEngine, quoteLiteral } from '../../duckdb/duck-engine.js'

/** A DuckDB engine and a temporary folder in which tests write Parquet files from SQL. */
export interface ParquetFixture {
  engine: DuckEngine
  dir: string
  /** Writes the rows of `select` to `<dir>/<name>.parquet` and returns its path. */
  write(name: string, select: string): Promise<string>
  dispose(): void
}

export async function parquetFixture(): Promise<ParquetFixture> {
  const engine = await DuckEngine.open({ threads: 2 })
  const dir = mkdtempSync(path.join(tmpdir(), 'ballast-validation-'))
  return {
    engine,
    dir,
    async write(name, select) {
      const file = path.join(dir, `${name}.parquet`)
      await engine.run(`COPY (${select}) TO ${quoteLiteral(file)} (FORMAT PARQUET)`)
      return file
    },
    dispose() {
      engine.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Ten rows that exercise every expectation: `id` 1..10, `score` 1..9 and a null, a few cities,
 * codes for the regex, repeated values in `dup`, and timestamps a day apart.
 */
export const TEN_ROWS = `
SELECT * FROM (VALUES
  (1, 1,    'a',  'AB1', 1, TIMESTAMP '2001-01-01 00:00:00'),
  (2, 2,    'b',  'AB2', 2, TIMESTAMP '2001-01-02 00:00:00'),
  (3, 3,    'a',  'X9',  3, TIMESTAMP '2001-01-03 00:00:00'),
  (4, 4,    'c',  'AB3', 3, TIMESTAMP '2001-01-04 00:00:00'),
  (5, 5,    NULL, 'AB4', 4, TIMESTAMP '2001-01-05 00:00:00'),
  (6, 6,    'a',  'ab5', 5, TIMESTAMP '2001-01-06 00:00:00'),
  (7, 7,    'b',  'AB6', 6, TIMESTAMP '2001-01-07 00:00:00'),
  (8, 8,    'zz', 'AB7', 6, TIMESTAMP '2001-01-08 00:00:00'),
  (9, 9,    'a',  'AB8', 6, TIMESTAMP '2001-01-09 00:00:00'),
  (10, NULL, 'b', NULL,  7, TIMESTAMP '2001-01-10 00:00:00')
) AS t(id, score, city, code, dup, ts)`
