import { InvalidParameterError } from '@ballast/contracts'

export interface ArtifactPathOptions {
  /** Accept '' (and '/'-free empty input) as the root of the artifact tree. */
  allowEmpty?: boolean
}

/** Rounds of percent-decoding tried; content still changing after that is refused outright. */
const MAX_DECODE_ROUNDS = 3

// C0 controls, DEL and C1 controls: never part of a file name a user meant to write.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const PERCENT_RUN = /(?:%[0-9a-fA-F]{2})+/g

/**
 * One round of percent-decoding. Only well-formed `%XX` runs are decoded, so a literal '%' in a
 * name ('100%.txt') passes; a run that is not valid UTF-8 (overlong forms such as `%c0%ae`, which
 * old decoders read as '.') is refused.
 */
function decodeOnce(value: string, fail: (why: string) => never): string {
  return value.replace(PERCENT_RUN, (run) => {
    try {
      return decodeURIComponent(run)
    } catch {
      return fail(`percent-encoded sequence ${run} is not valid UTF-8`)
    }
  })
}

/** Why `form` is unsafe as a relative path, or undefined when it is safe. */
function problemWith(form: string): string | undefined {
  if (CONTROL.test(form)) return 'it contains a NUL or control character'
  if (form.includes('\\')) return 'it contains a backslash'
  // As in MLflow: '#' would cut the path short wherever it is later embedded in a URI.
  if (form.includes('#')) return "it contains '#'"
  if (form.startsWith('/')) return 'it must be relative, not start with /'
  if (/^[A-Za-z]:/.test(form)) return 'it must be relative, not start with a drive letter'
  const segments = form.replace(/\/$/, '').split('/')
  for (const segment of segments) {
    if (segment === '') return 'it contains an empty segment (//)'
    if (segment === '.') return "it contains a '.' segment"
    if (segment === '..') return "it contains a '..' segment"
    // Windows drops trailing dots and spaces, turning '... ' into '..'.
    if (/^[. ]+$/.test(segment))
      return `it contains a segment of only dots and spaces (${JSON.stringify(segment)})`
  }
  return undefined
}

/**
 * Validates a client-supplied relative artifact path and returns it without a trailing '/'.
 * Every percent-decoded form of the input, and its Unicode compatibility form (where '．' is '.'),
 * must be safe too: a layer further down that decodes again must never see a traversal. The path
 * returned is the input as given (not decoded), so names are stored exactly as the client wrote
 * them.
 */
export function normalizeArtifactPath(
  raw: string,
  field = 'path',
  options: ArtifactPathOptions = {},
): string {
  const fail = (why: string): never => {
    throw new InvalidParameterError(`invalid ${field} ${JSON.stringify(raw)}: ${why}`)
  }
  if (typeof raw !== 'string') fail('it must be a string')
  if (raw === '') {
    if (options.allowEmpty === true) return ''
    fail('it must not be empty')
  }
  let form = raw
  for (let round = 0; ; round++) {
    for (const variant of new Set([form, form.normalize('NFKC')])) {
      const problem = problemWith(variant)
      if (problem !== undefined) fail(problem)
    }
    const decoded = decodeOnce(form, fail)
    if (decoded === form) break
    // 'a%2fb' is one name here but two segments to anything that decodes it: refuse the ambiguity.
    if (decoded.split('/').length !== form.split('/').length)
      fail("it contains a percent-encoded '/'")
    if (round === MAX_DECODE_ROUNDS) fail('it is percent-encoded too many times')
    form = decoded
  }
  return raw.replace(/\/$/, '')
}
