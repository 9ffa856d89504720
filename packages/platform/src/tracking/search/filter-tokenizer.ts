/**
 * Splits a search filter or an order_by clause into tokens. Every token keeps its text and its
 * 0-based position so that errors can point at it.
 */

export interface IdentifierPart {
  name: string
  /** Written in backticks or quotes: never a keyword, may hold spaces and dots. */
  quoted: boolean
}

export type Token =
  | { kind: 'identifier'; parts: IdentifierPart[]; text: string; pos: number }
  | { kind: 'string'; value: string; text: string; pos: number }
  | { kind: 'number'; value: number; text: string; pos: number }
  | { kind: 'operator'; text: string; pos: number }
  | { kind: 'punctuation'; text: string; pos: number }
  | { kind: 'end'; text: string; pos: number }

/** Builds the error for a problem at a token; supplied by the parser so it can name the input. */
export type TokenError = (detail: string) => Error

const OPERATORS = ['!=', '<=', '>=', '=', '<', '>']
const QUOTES = ['`', '"', "'"]
const WORD_START = /[A-Za-z_]/
const WORD_CHAR = /[A-Za-z0-9_]/
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/

export function describeToken(token: Token): string {
  return token.kind === 'end'
    ? `end of input at position ${token.pos}`
    : `'${token.text}' at position ${token.pos}`
}

export function tokenize(input: string, fail: TokenError): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < input.length) {
    const c = input[i]!
    if (/\s/.test(c)) {
      i++
    } else if (WORD_START.test(c) || c === '`') {
      const token = readIdentifier(input, i, fail)
      tokens.push(token)
      i += token.text.length
    } else if (c === "'" || c === '"') {
      const { value, end } = readQuoted(input, i, fail)
      tokens.push({ kind: 'string', value, text: input.slice(i, end), pos: i })
      i = end
    } else if (/[0-9.-]/.test(c) && NUMBER.test(input.slice(i))) {
      const text = NUMBER.exec(input.slice(i))![0]
      if (WORD_CHAR.test(input[i + text.length] ?? '')) {
        const bad = /^[-.\w]+/.exec(input.slice(i))![0]
        throw fail(`malformed number '${bad}' at position ${i}`)
      }
      tokens.push({ kind: 'number', value: Number(text), text, pos: i })
      i += text.length
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punctuation', text: c, pos: i })
      i++
    } else {
      const op = OPERATORS.find((o) => input.startsWith(o, i))
      if (op === undefined) throw fail(`unexpected character '${c}' at position ${i}`)
      tokens.push({ kind: 'operator', text: op, pos: i })
      i += op.length
    }
  }
  tokens.push({ kind: 'end', text: '', pos: input.length })
  return tokens
}

/** `word`, `` `quoted` ``, then any number of `.word`, `.` + quoted part. */
function readIdentifier(input: string, start: number, fail: TokenError): Token {
  const parts: IdentifierPart[] = []
  let i = start
  for (;;) {
    const c = input[i] ?? ''
    if (c === '`' || ((c === '"' || c === "'") && parts.length > 0)) {
      const { value, end } = readQuoted(input, i, fail)
      parts.push({ name: value, quoted: true })
      i = end
    } else {
      let end = i
      while (end < input.length && WORD_CHAR.test(input[end]!)) end++
      parts.push({ name: input.slice(i, end), quoted: false })
      i = end
    }
    // A dot continues the identifier only when a name follows it directly.
    const next = input[i + 1]
    const continues =
      input[i] === '.' && next !== undefined && (WORD_CHAR.test(next) || QUOTES.includes(next))
    if (!continues) break
    i++
  }
  return { kind: 'identifier', parts, text: input.slice(start, i), pos: start }
}

/**
 * A string in single quotes, double quotes or backticks. Inside it, a doubled quote or a backslash
 * before the quote stands for the quote, and `\\` for one backslash; any other backslash is kept,
 * so LIKE patterns can escape `%` and `_` as `\%` and `\_`.
 */
function readQuoted(
  input: string,
  start: number,
  fail: TokenError,
): { value: string; end: number } {
  const quote = input[start]!
  let value = ''
  let i = start + 1
  while (i < input.length) {
    const c = input[i]!
    const next = input[i + 1]
    if (c === '\\' && (next === quote || next === '\\')) {
      value += next
      i += 2
    } else if (c === quote && next === quote) {
      value += quote
      i += 2
    } else if (c === quote) {
      return { value, end: i + 1 }
    } else {
      value += c
      i++
    }
  }
  throw fail(`unterminated string '${input.slice(start)}' at position ${start}`)
}
