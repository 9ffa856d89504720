import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { AppError, ERROR_CODES, NotFoundError, exitCodeFor, isAppError } from './errors.js'

describe('error codes', () => {
  it('are exactly the ones docs/errors.md lists, with the same status and exit code', () => {
    const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
    const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d+) \| (\d+) \|/gm)].map((m) => [
      m[1],
      { status: Number(m[2]), exitCode: Number(m[3]) },
    ])
    expect(Object.fromEntries(rows)).toEqual(ERROR_CODES)
  })

  it('are recognized by shape and carry their status and exit code', () => {
    const error = new NotFoundError('Run with id=abc not found')
    expect(isAppError(error)).toBe(true)
    expect(isAppError({ code: 'RESOURCE_DOES_NOT_EXIST', message: 'x' })).toBe(true)
    expect(isAppError(new Error('x'))).toBe(false)
    expect(error.status).toBe(404)
    expect(exitCodeFor(error)).toBe(3)
    expect(exitCodeFor(new Error('boom'))).toBe(70)
    expect(new AppError('PERMISSION_DENIED', 'no').status).toBe(403)
  })
})
