import { open, rm } from 'node:fs/promises'
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

/** Lines joined per write (each awaited, so the loop turns between): about a millisecond of work. */
const LINES_PER_WRITE = 2048

/** DuckDB's default largest JSON object; raised for a file with a longer line. */
const MIN_MAX_OBJECT_BYTES = 16 * 1024 * 1024

/** The scratch file's columns as DuckDB reads them. */
const LINE_COLUMNS =
  "{request_id: 'VARCHAR', deployment: 'VARCHAR', model: 'VARCHAR', version: 'BIGINT', " +
  "time_ms: 'BIGINT', latency_ms: 'DOUBLE', inputs: 'VARCHAR', outputs: 'VARCHAR', shadow: 'BOOLEAN'}"

/** A surrogate half without its partner: DuckDB refuses JSON with one (as `\\udXXX`). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** The text as UTF-8 can hold it: a lone surrogate becomes U+FFFD, as in any UTF-8 conversion. */
function wellFormed(value: unknown): string {
  return String(value).replace(LONE_SURROGATE, '\ufffd')
}

/**
 * One row as a JSON line of the scratch file `writeSegmentFile` reads. Encoding costs about as much
 * as the row's own JSON, so it is done once per row when the row is logged, not in one long block
 * at flush time. A version or latency that is not a finite number is written as null.
 */
export function encodeSegmentLine(row: PredictionRow): string {
  return JSON.stringify({
    request_id: wellFormed(row.requestId),
    deployment: wellFormed(row.deployment),
    model: wellFormed(row.model),
    version: Number.isFinite(row.version) ? Math.trunc(row.version) : null,
    time_ms: Math.trunc(row.time),
    latency_ms: Number(row.latencyMs),
    inputs: wellFormed(row.inputs),
    outputs: wellFormed(row.outputs),
    shadow: row.shadow === true,
  })
}

/**
 * Writes rows (lines from `encodeSegmentLine`) to `file` as Parquet (zstd): `time` as
 * TIMESTAMP_MS, `version` BIGINT, `latency_ms` DOUBLE, inputs and outputs as JSON text. The lines
 * go to a scratch file a slice per event-loop turn, and DuckDB converts it on its own threads, so a
 * flush never holds the event loop for longer than one slice (a serving process answers meanwhile).
 */
export async function writeSegmentFile(
  engine: DuckEngine,
  lines: readonly string[],
  file: string,
): Promise<void> {
  const scratch = `${file}.jsonl`
  try {
    let longest = 0
    const handle = await open(scratch, 'w')
    try {
      for (let start = 0; start < lines.length; start += LINES_PER_WRITE) {
        const slice = lines.slice(start, start + LINES_PER_WRITE)
        for (const line of slice) if (line.length > longest) longest = line.length
        await handle.write(`${slice.join('\n')}\n`)
      }
    } finally {
      await handle.close()
    }
    // UTF-16 units to UTF-8 bytes: at most 3 bytes each.
    const maxObjectBytes = Math.max(MIN_MAX_OBJECT_BYTES, 3 * longest + 1)
    await engine.run(
      `COPY (SELECT request_id, deployment, model, version, epoch_ms(time_ms)::TIMESTAMP_MS AS time, latency_ms, inputs, outputs, shadow ` +
        `FROM read_json(${sqlLiteral(scratch)}, format = 'newline_delimited', columns = ${LINE_COLUMNS}, maximum_object_size = ${maxObjectBytes})) ` +
        `TO ${sqlLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`,
    )
  } finally {
    await rm(scratch, { force: true })
  }
}
