import { DATASET_FORMATS, type DatasetFormat, InvalidParameterError } from '@ballast/contracts'

const EXTENSIONS: Record<string, DatasetFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  parquet: 'parquet',
  pq: 'parquet',
}

export function checkFormat(value: string): DatasetFormat {
  if (!(DATASET_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidParameterError(
      `invalid format ${JSON.stringify(value)}: expected one of ${DATASET_FORMATS.join(', ')}`,
    )
  }
  return value as DatasetFormat
}

/** The format given, or the one the file name's extension says. */
export function detectFormat(source: string, format?: string): DatasetFormat {
  if (format !== undefined) return checkFormat(format)
  const match = /\.([A-Za-z0-9]+)$/.exec(source)
  const found = match === null ? undefined : EXTENSIONS[match[1]!.toLowerCase()]
  if (found === undefined) {
    throw new InvalidParameterError(
      `cannot tell the format of '${source}' from its name: give the format (${DATASET_FORMATS.join(', ')})`,
    )
  }
  return found
}
