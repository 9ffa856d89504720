import { describe, expect, it } from 'vitest'
import { normalizeArtifactPath } from './safe-artifact-path.js'

/** [input, fragment of the reason given] */
const HOSTILE: Array<[string, string]> = [
  ['..', "'..' segment"],
  ['../etc/passwd', "'..' segment"],
  ['model/../../etc', "'..' segment"],
  ['model/..', "'..' segment"],
  ['/etc/passwd', 'must be relative, not start with /'],
  ['//server/share', 'must be relative, not start with /'],
  ['C:/Windows', 'drive letter'],
  ['c:file.txt', 'drive letter'],
  ['model\\MLmodel', 'backslash'],
  ['..\\..\\boot.ini', 'backslash'],
  ['a\0b', 'NUL or control character'],
  ['a\nb', 'NUL or control character'],
  ['a\u007fb', 'NUL or control character'],
  ['a\u0085b', 'NUL or control character'],
  ['.', "'.' segment"],
  ['./model', "'.' segment"],
  ['a/./b', "'.' segment"],
  ['a//b', 'empty segment'],
  ['a/b//', 'empty segment'],
  ['...', 'only dots and spaces'],
  ['.. /x', 'only dots and spaces'],
  ['%2e%2e', "'..' segment"],
  ['%2E%2E/secret', "'..' segment"],
  ['%2e%2e%2fetc', "percent-encoded '/'"],
  ['a%2fb', "percent-encoded '/'"],
  ['%2fetc/passwd', "percent-encoded '/'"],
  ['%252e%252e/x', "'..' segment"],
  ['%25252e%25252e/x', "'..' segment"],
  ['%2525252e%2525252e/x', 'percent-encoded too many times'],
  ['a%5cb', 'backslash'],
  ['a%255cb', 'backslash'],
  ['a%00b', 'NUL or control character'],
  ['a%2500b', 'NUL or control character'],
  ['%2e/x', "'.' segment"],
  ['%c0%ae%c0%ae/x', 'not valid UTF-8'],
  ['\uff0e\uff0e/x', "'..' segment"],
  ['\uff0fetc', 'must be relative, not start with /'],
  ['a#b', "contains '#'"],
  ['a%23b', "contains '#'"],
]

const VALID: Array<[string, string]> = [
  ['model/MLmodel', 'model/MLmodel'],
  ['a b/c.txt', 'a b/c.txt'],
  ['metrics.json', 'metrics.json'],
  ['model/', 'model'],
  ['.hidden/file', '.hidden/file'],
  ['a..b/c..', 'a..b/c..'],
  ['100%.txt', '100%.txt'],
  ['a%20b.txt', 'a%20b.txt'],
  ['données/été.csv', 'données/été.csv'],
  ['run:2026-01-01T00:00:00.json', 'run:2026-01-01T00:00:00.json'],
]

describe('normalizeArtifactPath', () => {
  it.each(HOSTILE)('rejects %j (%s)', (input, reason) => {
    expect(() => normalizeArtifactPath(input)).toThrow(
      expect.objectContaining({
        code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringMatching(/^invalid path "/) as unknown,
      }),
    )
    expect(() => normalizeArtifactPath(input)).toThrow(reason)
  })

  it.each(VALID)('accepts %j as %j', (input, normalized) => {
    expect(normalizeArtifactPath(input)).toBe(normalized)
  })

  it('names the field in the message', () => {
    expect(() => normalizeArtifactPath('../x', 'artifact_path')).toThrow(
      `invalid artifact_path "../x": it contains a '..' segment`,
    )
  })

  it('accepts the empty root only when allowed', () => {
    expect(() => normalizeArtifactPath('')).toThrow('invalid path "": it must not be empty')
    expect(normalizeArtifactPath('', 'path', { allowEmpty: true })).toBe('')
    expect(() => normalizeArtifactPath('/', 'path', { allowEmpty: true })).toThrow(
      'must be relative',
    )
  })
})
