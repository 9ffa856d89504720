import { open } from 'node:fs/promises'
import { InvalidParameterError } from '@ballast/contracts'

/** A header longer than this is not a header: the file is likely not delimited text. */
const MAX_HEADER_BYTES = 1024 * 1024

/**
 * Reads and parses the header line of a delimited file (RFC 4180 quoting). DuckDB renames
 * duplicate and empty names silently (`a_1`, `column1`); a dataset must not, so the names are
 * checked here, where the file's own spelling is still known.
 */
export async function readCsvHeader(
  file: string,
  delimiter: string,
  label: string,
): Promise<string[]> {
  const handle = await open(file, 'r')
  let text: string
  try {
    const buffer = Buffer.alloc(MAX_HEADER_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, MAX_HEADER_BYTES, 0)
    text = buffer.subarray(0, bytesRead).toString('utf8')
  } finally {
    await handle.close()
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1)
  const names = parseHeaderLine(text, delimiter, label)
  checkColumnNames(names, label, 1)
  return names
}

function parseHeaderLine(text: string, delimiter: string, label: string): string[] {
  const names: string[] = []
  let field = ''
  let inQuotes = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (inQuotes) {
      if (ch !== '"') field += ch
      else if (text[i + 1] === '"') {
        field += '"'
        i++
      } else inQuotes = false
    } else if (ch === '"' && field === '') inQuotes = true
    else if (ch === delimiter) {
      names.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      names.push(field)
      return names
    } else field += ch
  }
  if (inQuotes) throw new InvalidParameterError(`${label}:1: unterminated quote in the header`)
  if (text.length >= MAX_HEADER_BYTES) {
    throw new InvalidParameterError(
      `${label}:1: no end of the header line in the first ${MAX_HEADER_BYTES} bytes`,
    )
  }
  names.push(field)
  return names
}

/**
 * Column names must be non-empty and distinct. DuckDB resolves names without regard to case, so
 * `Id` and `id` count as the same name.
 */
export function checkColumnNames(names: readonly string[], label: string, line?: number): void {
  const where = line === undefined ? label : `${label}:${line}`
  const seen = new Map<string, number>()
  names.forEach((name, i) => {
    if (name.trim() === '') {
      throw new InvalidParameterError(`${where}: column ${i + 1} has an empty name`)
    }
    const key = name.toLowerCase()
    const first = seen.get(key)
    if (first !== undefined) {
      throw new InvalidParameterError(
        `${where}: duplicate column name '${name}' (columns ${first + 1} and ${i + 1}; names are compared ignoring case)`,
      )
    }
    seen.set(key, i)
  })
}
