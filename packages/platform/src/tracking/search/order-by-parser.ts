import { AppError } from '@ballast/contracts'
import { describeToken, tokenize, type TokenError } from './filter-tokenizer.js'
import {
  ENTITY_LABELS,
  EXPERIMENT_GRAMMAR,
  RUN_GRAMMAR,
  type OrderClause,
  type SearchGrammar,
} from './search-grammar.js'
import { isKeyword, resolveIdentifier } from './search-identifier.js'

/**
 * Parses MLflow run order_by clauses: `metrics.acc DESC`, `params.lr`, ``tags.`x y` ASC``,
 * `attributes.start_time`. The direction defaults to ascending. A field named twice is an error,
 * as in MLflow.
 */
export function parseOrderBy(orderBy: readonly string[] | undefined): OrderClause[] {
  return parseOrderByWith(orderBy, RUN_GRAMMAR)
}

/** Parses experiment order_by clauses: `name`, `experiment_id`, `creation_time`, `last_update_time`. */
export function parseExperimentOrderBy(orderBy: readonly string[] | undefined): OrderClause[] {
  return parseOrderByWith(orderBy, EXPERIMENT_GRAMMAR)
}

function parseOrderByWith(
  orderBy: readonly string[] | undefined,
  grammar: SearchGrammar,
): OrderClause[] {
  const clauses: OrderClause[] = []
  const seen = new Set<string>()
  for (const text of orderBy ?? []) {
    const fail: TokenError = (detail) =>
      new AppError('INVALID_PARAMETER_VALUE', `Invalid order_by clause '${text}': ${detail}`)
    const clause = parseClause(text, grammar, fail)
    const field = `${ENTITY_LABELS[clause.type]}.${clause.key}`
    if (seen.has(field)) throw fail(`${field} is already ordered by an earlier clause`)
    seen.add(field)
    clauses.push(clause)
  }
  return clauses
}

function parseClause(text: string, grammar: SearchGrammar, fail: TokenError): OrderClause {
  const tokens = tokenize(text, fail)
  // The tokenizer always ends the list with an `end` token, so the first one exists.
  const identifier = tokens[0]!
  const direction = tokens[1]
  const end = tokens[2]
  if (identifier.kind !== 'identifier') {
    throw fail(`expected a field such as metrics.<key> but found ${describeToken(identifier)}`)
  }
  const { type, key } = resolveIdentifier(
    identifier,
    grammar,
    { entities: grammar.orderEntities, attributes: grammar.orderAttributes },
    fail,
  )
  if (type === 'dataset') throw fail(`datasets cannot be ordered by`)

  let ascending = true
  if (direction !== undefined && direction.kind !== 'end') {
    if (isKeyword(direction, 'DESC')) ascending = false
    else if (!isKeyword(direction, 'ASC')) {
      throw fail(`expected ASC or DESC but found ${describeToken(direction)}`)
    }
    if (end !== undefined && end.kind !== 'end') {
      throw fail(`expected the end of the clause but found ${describeToken(end)}`)
    }
  }
  return { type, key, ascending }
}
