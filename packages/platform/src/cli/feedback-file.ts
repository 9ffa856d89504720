import { InvalidParameterError } from '@ballast/contracts'

/** A label as read from a file: CSV gives text, JSON keeps numbers and booleans. */
export interface FeedbackFileItem {
  request_id: unknown
  label: unknown
}

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. */
function csvRecords(text: string, file: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  let line = 1
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else {
        if (ch === '\n') line++
        field += ch
      }
    } else if (ch === '"' && field === '') quoted = true
    else if (ch === ',') {
      record.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      record.push(field)
      records.push(record)
      record = []
      field = ''
      line++
    } else field += ch
  }
  if (quoted) throw new InvalidParameterError(`${file} line ${line}: a quoted field is not closed`)
  if (field !== '' || record.length > 0) {
    record.push(field)
    records.push(record)
  }
  return records.filter((r) => !(r.length === 1 && r[0] === ''))
}

function fromCsv(text: string, file: string): FeedbackFileItem[] {
  const [header, ...rows] = csvRecords(text, file)
  const names = (header ?? []).map((h) => h.trim())
  const idAt = names.indexOf('request_id')
  const labelAt = names.indexOf('label')
  if (idAt < 0 || labelAt < 0) {
    throw new InvalidParameterError(
      `${file}: the header must name the columns request_id and label (found ${names.map((n) => JSON.stringify(n)).join(', ') || 'none'})`,
    )
  }
  return rows.map((row) => ({ request_id: row[idAt], label: row[labelAt] }))
}

function fromJson(text: string, file: string): FeedbackFileItem[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw new InvalidParameterError(`${file} is not valid JSON: ${(cause as Error).message}`, {
      cause,
    })
  }
  const items =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as { feedback?: unknown }).feedback
      : value
  if (!Array.isArray(items)) {
    throw new InvalidParameterError(
      `${file}: expected a JSON array of {"request_id", "label"} (or {"feedback": [...]})`,
    )
  }
  return items as FeedbackFileItem[]
}

/** The labels in a `.csv` (request_id and label columns) or `.json` file (an array of items). */
export function parseFeedbackFile(text: string, file: string): FeedbackFileItem[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (/\.json$/i.test(file)) return fromJson(body, file)
  if (/\.csv$/i.test(file)) return fromCsv(body, file)
  throw new InvalidParameterError(`${file}: expected a .csv or .json file`)
}
