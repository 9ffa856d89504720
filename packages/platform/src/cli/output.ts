/** Where a command writes: standard output for data, standard error for messages. */
export interface CliStreams {
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
}

/** `--json`: the API's JSON, unchanged, so scripts can rely on its shape. */
export function writeJson(streams: CliStreams, value: unknown): void {
  streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

// Names, tags and params come from users: never let them move the cursor or fake a line.
function printable(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\t' ? ' ' : '?'))
}

export type Cell = string | number | boolean | undefined | null

function cellText(cell: Cell): string {
  if (cell === undefined || cell === null || cell === '') return '-'
  return printable(String(cell))
}

/** An aligned table with a header row; an empty list prints `emptyText` instead. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
): string {
  const texts = rows.map((row) => headers.map((_, i) => cellText(row[i])))
  const widths = headers.map((h, i) => Math.max(h.length, ...texts.map((row) => row[i]!.length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(headers), ...texts.map(line)].map((l) => `${l}\n`).join('')
}

export function writeTable(
  streams: CliStreams,
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  emptyText: string,
): void {
  streams.stdout.write(rows.length === 0 ? `${emptyText}\n` : formatTable(headers, rows))
}

/** `key  value` lines under a title, aligned; used for one record's details. */
export function formatFields(fields: readonly (readonly [string, Cell])[]): string {
  const width = Math.max(...fields.map(([k]) => k.length))
  return fields.map(([k, v]) => `${`${k}:`.padEnd(width + 1)}  ${cellText(v)}\n`).join('')
}

/** Epoch milliseconds as a UTC timestamp to the second. */
export function formatTime(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms)) return undefined
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** A duration such as `1h02m`, `3m05s`, `42.1s`. */
export function formatDuration(
  startMs: number | undefined,
  endMs: number | undefined,
): string | undefined {
  if (startMs === undefined || endMs === undefined || endMs < startMs) return undefined
  const seconds = (endMs - startMs) / 1000
  if (seconds < 60) return `${seconds.toFixed(1)}s`
  const s = Math.floor(seconds) % 60
  const m = Math.floor(seconds / 60) % 60
  const h = Math.floor(seconds / 3600)
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s).padStart(2, '0')}s`
}

/** A metric value as people read it: NaN and infinities by name, floats to 6 significant digits. */
export function formatNumber(value: number | string): string {
  if (typeof value === 'string') return value
  if (Number.isInteger(value)) return String(value)
  return Number(value.toPrecision(6)).toString()
}
