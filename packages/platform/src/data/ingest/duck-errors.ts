import { InvalidParameterError } from '@ballast/contracts'
import type { DatasetFormat } from '@ballast/contracts'

/** DuckDB's first line, without its `Invalid Input Error:` prefix and with our temp path hidden. */
function firstLine(message: string, file: string, label: string): string {
  const line = message.split('\n')[0] ?? message
  return line
    .replace(/^[A-Za-z ]+ Error: /, '')
    .replaceAll(file, label)
    .trim()
}

/** The reason DuckDB gives for a CSV error: the line after the quoted original line. */
function csvReason(message: string): string {
  const columns = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message)
  if (columns !== null) return `expected ${columns[1]} columns, found ${columns[2]}`
  if (/unterminated quote/i.test(message)) return 'unterminated quoted value'
  const conversion = /Error when converting column "([^"]*)"\.\s*(.*)/.exec(message)
  if (conversion !== null) return `column '${conversion[1]}': ${conversion[2]}`
  const lines = message.split('\n').map((l) => l.trim())
  const fixes = lines.findIndex((l) => l.startsWith('Possible fixes'))
  const before = lines.slice(0, fixes === -1 ? lines.length : fixes).filter((l) => l !== '')
  return before[before.length - 1] ?? 'malformed row'
}

/**
 * Turns DuckDB's reader errors into `file:line: message`, the form compilers and linters use, so a
 * person can jump to the row. The temporary copy's path never reaches the message.
 */
export function readError(
  error: unknown,
  context: { file: string; label: string; format: DatasetFormat },
): InvalidParameterError {
  const { file, label, format } = context
  const message = error instanceof Error ? error.message : String(error)
  const csvLine = /CSV Error on Line: (\d+)/.exec(message)
  if (csvLine !== null) {
    return new InvalidParameterError(`${label}:${csvLine[1]}: ${csvReason(message)}`, {
      cause: error,
    })
  }
  const json =
    /Malformed JSON in file "[^"]*", at byte (\d+) in (line|record\/value) (\d+): ([^\n]*)/.exec(
      message,
    )
  if (json !== null) {
    const [, , unit, at, reason] = json
    // DuckDB 1.x counts newline-delimited lines from 2 (its line 2 is the file's first line).
    const where = unit === 'line' ? `${label}:${Number(at) - 1}` : `${label}: record ${at}`
    // DuckDB's advice to auto-detect the layout does not apply: the layout was chosen on purpose.
    const text = reason!
      .replace(/\s*Try auto-detecting the JSON format\.?/, '')
      .replace(/\.\s*$/, '')
    return new InvalidParameterError(`${where}: malformed JSON: ${text}`, { cause: error })
  }
  if (/expected records, but got non-record JSON/.test(message)) {
    return new InvalidParameterError(
      `${label}: expected JSON objects with fields (one per record); found other values or objects without fields`,
      { cause: error },
    )
  }
  const range =
    /with value (\S+) can't be cast because the value is out of range for the destination type INT64 when casting from source column (.+)$/m.exec(
      message,
    )
  if (range !== null) {
    return new InvalidParameterError(
      `${label}: column '${range[2]}' holds the integer ${range[1]}, beyond the 64 bits a dataset integer has`,
      { cause: error },
    )
  }
  if (format === 'parquet') {
    return new InvalidParameterError(
      `${label}: not a readable Parquet file (truncated or corrupt): ${firstLine(message, file, label)}`,
      { cause: error },
    )
  }
  return new InvalidParameterError(
    `${label}: cannot read as ${format}: ${firstLine(message, file, label)}`,
    { cause: error },
  )
}
