const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i

const daysIn = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate()

/**
 * ISO-8601 text → epoch milliseconds, NaN when it is not a valid date-time. Text without an
 * offset is UTC, as training reads it; Date.parse alone would take local time for it and
 * roll `2015-02-30` over into March.
 */
export function parseDateTime(text: string): number {
  const m = ISO_8601.exec(text)
  if (m === null) return Number.NaN
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  const hour = m[4] === undefined ? 0 : Number(m[4])
  const minute = m[5] === undefined ? 0 : Number(m[5])
  const second = m[6] === undefined ? 0 : Number(m[6])
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return Number.NaN
  if (hour > 23 || minute > 59 || second > 59) return Number.NaN
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000)
  let offsetMinutes = 0
  const zone = m[8]
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '')
    const hours = Number(digits.slice(0, 2))
    const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0
    if (hours > 23 || minutes > 59) return Number.NaN
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes)
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis)
  // Date.UTC maps years 0–99 to 1900–1999.
  const fixed = year < 100 ? new Date(utc).setUTCFullYear(year) : utc
  return fixed - offsetMinutes * 60_000
}
