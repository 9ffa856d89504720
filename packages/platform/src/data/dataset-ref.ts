import { InvalidParameterError } from '@ballast/contracts'

/** Dataset names: a letter or digit first, then letters, digits, `.`, `_`, `-`; at most 200. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/

/** Names go into URLs, file names and `NAME@VERSION` references, so the alphabet is small. */
export function checkDatasetName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : typeof name
    throw new InvalidParameterError(
      `invalid dataset ${field} ${shown}: expected 1 to 200 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    )
  }
  return name
}

/** A version number as given in a path or reference: a positive integer, or `latest`. */
export function parseVersionSelector(value: string, field = 'version'): number | 'latest' {
  if (value === 'latest') return 'latest'
  const n = Number(value)
  if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(n)) {
    throw new InvalidParameterError(
      `invalid dataset ${field} ${JSON.stringify(value)}: expected a version number (1, 2, …) or 'latest'`,
    )
  }
  return n
}

export interface DatasetRef {
  name: string
  version: number | 'latest'
}

/** `NAME`, `NAME@3` or `NAME@latest`; a bare name means the latest version. */
export function parseDatasetRef(ref: string): DatasetRef {
  const at = ref.indexOf('@')
  if (at === -1) return { name: checkDatasetName(ref), version: 'latest' }
  const name = ref.slice(0, at)
  const version = ref.slice(at + 1)
  if (version === '') {
    throw new InvalidParameterError(
      `invalid dataset reference ${JSON.stringify(ref)}: expected NAME, NAME@VERSION or NAME@latest`,
    )
  }
  return { name: checkDatasetName(name), version: parseVersionSelector(version) }
}
