import { existsSync } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { InvalidParameterError } from '@ballast/contracts'
import type { DuckEngine } from '../../data/index.js'

/** The months of 2001 in vega-datasets' flights-3m.parquet (July holds a handful of rows). */
export const DEMO_MONTHS = [1, 2, 3, 4, 5, 6] as const

/** A flight is late when it arrived more than this many minutes behind schedule. */
export const LATE_MINUTES = 15

/** Where vega-datasets keeps flights-3m.parquet, resolved from the installed package. */
export function flightsFile(): string {
  let dir: string
  try {
    // The package exports its JavaScript entry only: its data folder sits beside `build/`.
    dir = path.dirname(path.dirname(createRequire(import.meta.url).resolve('vega-datasets')))
  } catch (cause) {
    throw new InvalidParameterError(
      "the demo needs the npm package 'vega-datasets' (its flights-3m.parquet); run npm install first",
      { cause },
    )
  }
  const file = path.join(dir, 'data', 'flights-3m.parquet')
  if (!existsSync(file)) {
    throw new InvalidParameterError(`vega-datasets has no data/flights-3m.parquet at ${file}`)
  }
  return file
}

export const monthFile = (dir: string, month: number) =>
  path.join(dir, `flights-2001-${String(month).padStart(2, '0')}.parquet`)

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`

/**
 * One Parquet file per month: departure time, distance, origin and destination (what a model may
 * know before take-off) and whether the flight was late, in time order. Written to a temporary
 * name and renamed, so an interrupted demo never leaves half a file behind.
 */
export async function writeMonthFiles(engine: DuckEngine, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const source = flightsFile()
  const files: string[] = []
  for (const month of DEMO_MONTHS) {
    const file = monthFile(dir, month)
    files.push(file)
    if (existsSync(file)) continue
    const partial = `${file}.partial`
    await rm(partial, { force: true })
    await engine.run(
      `COPY (SELECT date, distance::DOUBLE AS distance, origin, destination, ` +
        `(delay > ${LATE_MINUTES})::INTEGER AS late ` +
        `FROM read_parquet(${quote(source)}) ` +
        `WHERE date >= TIMESTAMP '2001-${String(month).padStart(2, '0')}-01' ` +
        `AND date < TIMESTAMP '2001-01-01' + INTERVAL ${month} MONTH ` +
        `AND delay IS NOT NULL AND distance IS NOT NULL ORDER BY date) ` +
        `TO ${quote(partial)} (FORMAT parquet, COMPRESSION zstd)`,
    )
    await rename(partial, file)
  }
  return files
}

/** One batch of a month's flights as records for the live endpoint, with their true labels. */
export interface FlightBatch {
  records: { date: number; distance: number; origin: string; destination: string }[]
  labels: number[]
}

/**
 * Every `sample`-th flight of the month, in time order, `batchSize` at a time: the traffic a
 * deployment would have seen, thinned so the demo stays short.
 */
export async function* monthBatches(
  engine: DuckEngine,
  file: string,
  sample: number,
  batchSize: number,
): AsyncGenerator<FlightBatch> {
  const rows = await engine.withConnection(async (connection) => {
    const reader = await connection.runAndReadAll(
      `SELECT epoch_ms(date)::DOUBLE, distance, origin, destination, late FROM ` +
        `(SELECT *, row_number() OVER (ORDER BY date) AS n FROM read_parquet(${quote(file)})) ` +
        `WHERE n % ${sample} = 0 ORDER BY date`,
    )
    return reader.getColumnsJS()
  })
  const [dates, distances, origins, destinations, late] = rows as [
    number[],
    number[],
    string[],
    string[],
    number[],
  ]
  for (let start = 0; start < dates.length; start += batchSize) {
    const end = Math.min(dates.length, start + batchSize)
    const batch: FlightBatch = { records: [], labels: [] }
    for (let i = start; i < end; i++) {
      batch.records.push({
        date: dates[i]!,
        distance: distances[i]!,
        origin: origins[i]!,
        destination: destinations[i]!,
      })
      batch.labels.push(late[i]!)
    }
    yield batch
  }
}

/** Rows in each month's file after sampling, for progress bars. */
export async function sampledRows(engine: DuckEngine, file: string, sample: number) {
  const [row] = await engine.all(
    `SELECT (count(*) // ${sample})::DOUBLE AS n FROM read_parquet(${quote(file)})`,
  )
  return Number(row?.n ?? 0)
}
