import { describe, expect, it } from 'vitest'
import { checkBatchLimit, validateKey, validateTimestamp } from './validation.js'

// MLflow's own lists (tests/utils/test_validation.py), plus ':' which MLflow allows off Windows.
const GOOD_NAMES = [
  'a',
  'Ab-5_',
  'a/b/c',
  'a.b.c',
  '.a',
  'b.',
  'a..a/._./o_O/.e.',
  'a b/c d',
  'a:b',
  'é',
]
const BAD_NAMES = [
  '',
  '.',
  '/',
  '..',
  '//',
  'a//b',
  'a/./b',
  '/a',
  'a/',
  '\\',
  './',
  '/./',
  'a*b',
  'a\nb',
]

describe('validateKey', () => {
  it.each(GOOD_NAMES)('accepts %j', (name) => {
    expect(() => validateKey(name, 'key')).not.toThrow()
  })

  it.each(BAD_NAMES)('refuses %j with INVALID_PARAMETER_VALUE naming the field', (name) => {
    expect(() => validateKey(name, 'metrics[3].key')).toThrow(
      expect.objectContaining({
        code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringContaining(
          `Invalid value ${JSON.stringify(name)} for parameter 'metrics[3].key'`,
        ),
      }),
    )
  })

  it('says what a path-like name resolves to, as MLflow does', () => {
    expect(() => validateKey('a/./b', 'key')).toThrow("This name would resolve to 'a/b'")
    expect(() => validateKey('a/', 'key')).toThrow("This name would resolve to 'a'")
    expect(() => validateKey('', 'key')).toThrow("This name would resolve to '.'")
  })

  it('allows 250 characters and refuses 251', () => {
    expect(() => validateKey('k'.repeat(250), 'key')).not.toThrow()
    expect(() => validateKey('k'.repeat(251), 'key')).toThrow(
      "'key' exceeds the maximum length of 250 characters (got 251)",
    )
  })
})

describe('other checks', () => {
  it('refuses a negative timestamp and accepts zero', () => {
    expect(() => validateTimestamp(0, 'm', 'timestamp')).not.toThrow()
    expect(() => validateTimestamp(-5, 'm', 'metrics[0].timestamp')).toThrow(
      "Invalid value -5 for parameter 'metrics[0].timestamp' supplied: metric 'm': Timestamp must be a nonnegative long",
    )
  })

  it('names the field from a function only when it refuses', () => {
    let asked = 0
    const field = () => {
      asked++
      return 'metrics[7].timestamp'
    }
    expect(() => validateTimestamp(3, 'm', field)).not.toThrow()
    expect(asked).toBe(0)
    expect(() => validateTimestamp(-1, 'm', field)).toThrow(
      "Invalid value -1 for parameter 'metrics[7].timestamp' supplied: metric 'm'",
    )
    expect(asked).toBe(1)
  })

  it('words batch limits as MLflow does', () => {
    expect(() => checkBatchLimit('tags', 100, 100)).not.toThrow()
    expect(() => checkBatchLimit('tags', 100, 101)).toThrow(
      'A batch logging request can contain at most 100 tags. Got 101 tags. Please split up tags across multiple requests and try again.',
    )
  })
})
