import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { NotFoundError } from '@ballast/contracts'
import type { ArtifactStore } from '../artifacts/artifact-store.js'
import { LocalArtifactStore } from '../artifacts/local-artifact-store.js'
import type { DatasetVersion } from './dataset-version.js'
import { type DuckEngine, quoteLiteral } from './duckdb/duck-engine.js'

export interface DatasetHead {
  name: string
  version: number
  columns: string[]
  /** JSON values: big integers, dates and timestamps as text. */
  rows: Record<string, unknown>[]
}

/**
 * The first `n` rows of a version, in stored order. DuckDB reads only what the limit needs, from
 * the blob's own file when the store is local, else from a verified temporary copy.
 */
export async function datasetHead(
  engine: DuckEngine,
  artifacts: ArtifactStore,
  version: DatasetVersion,
  n: number,
): Promise<DatasetHead> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ballast-head-'))
  try {
    const file = await localCopy(artifacts, version, dir)
    return await engine.withConnection(async (connection) => {
      const reader = await connection.runAndReadAll(
        `SELECT * FROM read_parquet(${quoteLiteral(file)}) LIMIT ${Math.trunc(n)}`,
      )
      const integers = version.schema.columns.filter((c) => c.type === 'integer').map((c) => c.name)
      const rows = reader.getRowObjectsJson() as Record<string, unknown>[]
      // DuckDB's JSON form writes every BIGINT as text; most fit a JSON number exactly.
      for (const row of rows) {
        for (const name of integers) {
          const value = row[name]
          if (typeof value === 'string' && Number.isSafeInteger(Number(value)))
            row[name] = Number(value)
        }
      }
      return { name: version.name, version: version.version, columns: reader.columnNames(), rows }
    })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** A file DuckDB can read for `version`: the local blob itself, or a verified copy in `dir`. */
export async function localCopy(
  artifacts: ArtifactStore,
  version: DatasetVersion,
  dir: string,
): Promise<string> {
  if (artifacts instanceof LocalArtifactStore) {
    if ((await artifacts.stat(version.blobDigest)) === undefined) {
      throw new NotFoundError(
        `the data of ${version.name}@${version.version} (blob ${version.blobDigest}) is missing from the artifact store`,
      )
    }
    return artifacts.blobPath(version.blobDigest)
  }
  const file = path.join(dir, 'data.parquet')
  await pipeline(Readable.fromWeb(await artifacts.get(version.blobDigest)), createWriteStream(file))
  return file
}
