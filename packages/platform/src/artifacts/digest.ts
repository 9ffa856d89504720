import { AppError, InvalidParameterError } from '@ballast/contracts'
import type { PutOptions } from './artifact-store.js'

/** A blob address: SHA-256 as exactly 64 lowercase hex characters, nothing else. */
export const DIGEST_PATTERN = /^[0-9a-f]{64}$/

export const isDigest = (value: string): boolean => DIGEST_PATTERN.test(value)

/**
 * Rejects anything that is not a well-formed digest. Blob locations are built from digests, so this
 * check is what keeps a client-supplied value from ever naming another file or key.
 */
export function assertDigest(value: unknown, field = 'digest'): asserts value is string {
  if (typeof value !== 'string' || !DIGEST_PATTERN.test(value)) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value
    throw new InvalidParameterError(
      `${field} must be a SHA-256 digest of 64 lowercase hex characters, got ${shown}`,
    )
  }
}

/** `sha256/<first 2 hex>/<hex>`: the location of a blob below a store's root or prefix. */
export function blobSubpath(digest: string): string {
  assertDigest(digest)
  return `sha256/${digest.slice(0, 2)}/${digest}`
}

export function checkPutOptions(options: PutOptions): void {
  if (options.expectedSha256 !== undefined) assertDigest(options.expectedSha256, 'expectedSha256')
  const { maxBytes } = options
  if (maxBytes !== undefined && !(Number.isSafeInteger(maxBytes) && maxBytes >= 0)) {
    throw new InvalidParameterError(`maxBytes must be a non-negative integer, got ${maxBytes}`)
  }
}

export function limitExceeded(maxBytes: number): AppError {
  return new AppError(
    'REQUEST_LIMIT_EXCEEDED',
    `artifact content exceeds the limit of ${maxBytes} bytes`,
  )
}

export function checksumMismatch(expected: string, actual: string): InvalidParameterError {
  return new InvalidParameterError(`checksum mismatch: expected ${expected}, got ${actual}`)
}

export function digestMismatch(digest: string, actual: string): AppError {
  return new AppError('INTERNAL_ERROR', `digest mismatch: blob ${digest} read back as ${actual}`)
}
