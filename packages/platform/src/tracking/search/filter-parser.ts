import { AppError } from '@ballast/contracts'
import { describeToken, tokenize, type Token, type TokenError } from './filter-tokenizer.js'
import {
  ENTITY_LABELS,
  EXPERIMENT_GRAMMAR,
  RUN_GRAMMAR,
  type Comparator,
  type Comparison,
  type FieldSpec,
  type SearchGrammar,
} from './search-grammar.js'
import { isKeyword, resolveIdentifier } from './search-identifier.js'

export { parseOrderBy, parseExperimentOrderBy } from './order-by-parser.js'

/**
 * Parses an MLflow run filter such as `metrics.acc > 0.9 and params.model = 'cnn'` into its
 * comparisons. An empty or absent filter matches every run. Every problem is an
 * INVALID_PARAMETER_VALUE error that quotes the offending token and its position.
 */
export function parseSearchFilter(filter: string | undefined): Comparison[] {
  return parseFilter(filter, RUN_GRAMMAR)
}

/** Parses an MLflow experiment filter (`name LIKE 'prod-%' and tags.team = 'ml'`). */
export function parseExperimentFilter(filter: string | undefined): Comparison[] {
  return parseFilter(filter, EXPERIMENT_GRAMMAR)
}

class Cursor {
  private index = 0
  constructor(private readonly tokens: Token[]) {}

  next(): Token {
    const token = this.tokens[this.index]!
    if (token.kind !== 'end') this.index++
    return token
  }
}

function parseFilter(filter: string | undefined, grammar: SearchGrammar): Comparison[] {
  if (filter === undefined || filter.trim() === '') return []
  const fail: TokenError = (detail) =>
    new AppError('INVALID_PARAMETER_VALUE', `Invalid filter '${filter}': ${detail}`)
  const cursor = new Cursor(tokenize(filter, fail))
  const comparisons: Comparison[] = []
  for (;;) {
    comparisons.push(parseComparison(cursor, grammar, fail))
    const next = cursor.next()
    if (next.kind === 'end') return comparisons
    if (isKeyword(next, 'OR')) {
      throw fail(`${describeToken(next)} is not supported; clauses can only be joined with AND`)
    }
    if (!isKeyword(next, 'AND')) {
      throw fail(`expected AND or the end of the filter but found ${describeToken(next)}`)
    }
  }
}

function parseComparison(cursor: Cursor, grammar: SearchGrammar, fail: TokenError): Comparison {
  const token = cursor.next()
  if (token.kind !== 'identifier' || isKeyword(token, 'AND') || isKeyword(token, 'OR')) {
    throw fail(`expected a field such as metrics.<key> but found ${describeToken(token)}`)
  }
  const { type, key } = resolveIdentifier(
    token,
    grammar,
    {
      entities: grammar.filterEntities,
      attributes: grammar.filterAttributes,
    },
    fail,
  )
  const field = grammar.field(type, key)!
  const label = `${ENTITY_LABELS[type]}.${key}`

  const { comparator, token: comparatorToken } = parseComparator(cursor, fail)
  if (!field.comparators.includes(comparator)) {
    throw fail(
      `comparator ${describeToken(comparatorToken)} is not supported for ${label}; ` +
        `use one of ${field.comparators.join(', ')}`,
    )
  }
  const value =
    comparator === 'IN' || comparator === 'NOT IN'
      ? parseList(cursor, fail)
      : parseScalar(cursor.next(), field, label, type === 'attribute', fail)
  return { type, key, comparator, value }
}

function parseComparator(
  cursor: Cursor,
  fail: TokenError,
): { comparator: Comparator; token: Token } {
  const token = cursor.next()
  if (token.kind === 'operator') return { comparator: token.text as Comparator, token }
  for (const word of ['LIKE', 'ILIKE', 'IN'] as const) {
    if (isKeyword(token, word)) return { comparator: word, token }
  }
  if (isKeyword(token, 'NOT')) {
    const next = cursor.next()
    if (isKeyword(next, 'IN')) return { comparator: 'NOT IN', token }
    throw fail(`expected IN after NOT but found ${describeToken(next)}`)
  }
  throw fail(
    `expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN) but found ${describeToken(token)}`,
  )
}

function parseScalar(
  token: Token,
  field: FieldSpec,
  label: string,
  isAttribute: boolean,
  fail: TokenError,
): number | string {
  if (field.kind === 'string') {
    if (token.kind === 'string') return token.value
    throw fail(`${label} is compared with a quoted string, but found ${describeToken(token)}`)
  }
  if (token.kind !== 'number') {
    throw fail(`${label} is compared with a number, but found ${describeToken(token)}`)
  }
  // Times are whole milliseconds in bigint columns: a fraction cannot be bound to them.
  if (isAttribute && !Number.isSafeInteger(token.value)) {
    throw fail(`${label} is compared with whole milliseconds, but found ${describeToken(token)}`)
  }
  return token.value
}

function parseList(cursor: Cursor, fail: TokenError): string[] {
  const open = cursor.next()
  if (open.kind !== 'punctuation' || open.text !== '(') {
    throw fail(`expected '(' to start a list of quoted strings but found ${describeToken(open)}`)
  }
  const values: string[] = []
  for (;;) {
    const item = cursor.next()
    if (item.kind !== 'string') {
      throw fail(`expected a quoted string in the list but found ${describeToken(item)}`)
    }
    values.push(item.value)
    const separator = cursor.next()
    if (separator.kind === 'punctuation' && separator.text === ')') return values
    if (separator.kind !== 'punctuation' || separator.text !== ',') {
      throw fail(`expected ',' or ')' in the list but found ${describeToken(separator)}`)
    }
  }
}
