import type { ColumnProfile, DatasetProfile } from '../dataset-types.js'

const HEADERS = [
  'column',
  'type',
  'count',
  'missing',
  'distinct',
  'min',
  'p50',
  'max',
  'mean',
  'std',
]
const RIGHT_ALIGNED = new Set(['count', 'missing', 'distinct', 'min', 'p50', 'max', 'mean', 'std'])

/**
 * A profile as a table for people: one row per column, then each column's most frequent values.
 * Datetime columns show min, p50 and max as ISO text; their mean and std (milliseconds) are left
 * out of the table, being meaningless at a glance.
 */
export function formatProfile(profile: DatasetProfile): string {
  const rows = profile.columns.map((column) => tableRow(column, profile.rowCount))
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) =>
        RIGHT_ALIGNED.has(HEADERS[i]!) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd()
  const out = [`${profile.rowCount} rows, ${profile.columns.length} columns`, '']
  out.push(line(HEADERS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line))
  const tops = profile.columns.filter((c) => c.top.length > 0)
  if (tops.length > 0) {
    out.push('', 'top values')
    for (const column of tops) {
      const values = column.top.map((t) => `${t.value} (${t.count})`).join(', ')
      out.push(`  ${column.name}: ${values}`)
    }
  }
  return out.join('\n')
}

function tableRow(column: ColumnProfile, rowCount: number): string[] {
  const datetime = column.type === 'datetime'
  const p50 = column.quantiles?.p50
  return [
    column.name,
    column.type,
    String(column.count),
    `${column.missing} (${percent(column.missing, rowCount)})`,
    String(column.distinct),
    statistic(column.min),
    p50 === undefined ? '' : datetime ? new Date(Math.floor(p50)).toISOString() : number(p50),
    statistic(column.max),
    datetime ? '' : statistic(column.mean),
    datetime ? '' : statistic(column.std),
  ]
}

function statistic(value: number | string | undefined): string {
  if (value === undefined) return ''
  return typeof value === 'string' ? value : number(value)
}

/** Integers in full; other numbers to 6 significant digits, without trailing zeros. */
function number(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value)
  return String(Number(value.toPrecision(6)))
}

function percent(part: number, whole: number): string {
  if (whole === 0) return '0%'
  const p = (100 * part) / whole
  return `${p === 0 || p === 100 ? p.toFixed(0) : p.toFixed(1)}%`
}
