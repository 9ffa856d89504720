import type { TabularTable } from '../../../training/index.js'

/**
 * Table rows as a client sends them: NaN and null as null, booleans as true/false, datetimes as
 * ISO text (or epoch milliseconds when `epochDates`).
 */
export function recordsOf(
  table: TabularTable,
  columns: readonly string[],
  options: { epochDates?: boolean } = {},
): Record<string, unknown>[] {
  const picked = columns.map((name) => {
    const column = table.columns.find((c) => c.name === name)
    if (column === undefined) throw new Error(`no column ${name}`)
    return column
  })
  return Array.from({ length: table.rowCount }, (_, i) => {
    const record: Record<string, unknown> = {}
    for (const column of picked) {
      const v = column.values[i]
      if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
        record[column.name] = null
      } else if (column.type === 'boolean') record[column.name] = v === 1
      else if (column.type === 'datetime') {
        record[column.name] = options.epochDates ? v : new Date(v).toISOString()
      } else record[column.name] = v
    }
    return record
  })
}
