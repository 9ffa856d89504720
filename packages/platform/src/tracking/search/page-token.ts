import { createHash } from 'node:crypto'
import { AppError } from '@ballast/contracts'

/** MLflow's page size when a search names none (`SEARCH_MAX_RESULTS_DEFAULT`). */
export const SEARCH_MAX_RESULTS_DEFAULT = 1000

/** The largest page MLflow serves (`SEARCH_MAX_RESULTS_THRESHOLD`), for runs and experiments. */
export const SEARCH_MAX_RESULTS_THRESHOLD = 50_000

/** Validates a requested page size; absent means the default. */
export function resolveMaxResults(maxResults: number | undefined): number {
  if (maxResults === undefined) return SEARCH_MAX_RESULTS_DEFAULT
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    throw new AppError(
      'INVALID_PARAMETER_VALUE',
      `Invalid value ${maxResults} for parameter 'max_results': it must be a positive integer`,
    )
  }
  if (maxResults > SEARCH_MAX_RESULTS_THRESHOLD) {
    throw new AppError(
      'INVALID_PARAMETER_VALUE',
      `Invalid value ${maxResults} for parameter 'max_results': it must be at most ${SEARCH_MAX_RESULTS_THRESHOLD}`,
    )
  }
  return maxResults
}

/**
 * The check only catches tokens edited or truncated by hand, so that they fail loudly instead of
 * silently paging from somewhere else; the offset is not a secret.
 */
function checksum(offset: number): string {
  return createHash('sha256').update(`ballast-page:${offset}`).digest('base64url').slice(0, 8)
}

/** An opaque token for the page that starts at `offset` (base64url JSON, like MLflow's). */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset, check: checksum(offset) })).toString('base64url')
}

/** The offset a page token stands for; no token means the first page. */
export function decodePageToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0
  const invalid = () =>
    new AppError(
      'INVALID_PARAMETER_VALUE',
      `Invalid page_token '${token}': it was not issued by this search`,
    )
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalid()
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch (cause) {
    throw new AppError('INVALID_PARAMETER_VALUE', invalid().message, { cause })
  }
  const { offset, check } = (parsed ?? {}) as { offset?: unknown; check?: unknown }
  if (
    typeof offset !== 'number' ||
    !Number.isSafeInteger(offset) ||
    offset < 0 ||
    check !== checksum(offset)
  ) {
    throw invalid()
  }
  return offset
}
