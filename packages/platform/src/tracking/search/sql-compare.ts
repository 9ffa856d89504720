import { AppError } from '@ballast/contracts'
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely'
import type { Comparator } from './search-grammar.js'

export type Condition = RawBuilder<SqlBool>

/** What the comparison compiler needs to know about the backend. */
export interface CompareOptions {
  supportsIlike: boolean
}

const NUMERIC_SQL: Readonly<Record<string, string>> = {
  '=': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
}

/**
 * `column <comparator> value` for a parsed comparison. LIKE is case-sensitive on every backend (the
 * stores make it so) and takes `\` as its escape character everywhere, so `\_` and `\%` match the
 * literal characters; ILIKE falls back to comparing lower-cased text where the backend lacks it.
 */
export function compare(
  column: Expression<unknown>,
  comparator: Comparator,
  value: number | string | readonly string[],
  options: CompareOptions,
): Condition {
  if (Array.isArray(value)) {
    const list = sql.join(value.map((v) => sql`${v}`))
    return comparator === 'NOT IN' ? sql`${column} not in (${list})` : sql`${column} in (${list})`
  }
  switch (comparator) {
    case 'LIKE':
      return sql`${column} like ${value} escape '\\'`
    case 'ILIKE':
      return options.supportsIlike
        ? sql`${column} ilike ${value} escape '\\'`
        : sql`lower(${column}) like lower(${value}) escape '\\'`
    default: {
      const operator = NUMERIC_SQL[comparator]
      if (operator === undefined) {
        throw new AppError('INTERNAL_ERROR', `comparator ${comparator} needs a list value`)
      }
      return sql`${column} ${sql.raw(operator)} ${value}`
    }
  }
}

export function and(conditions: readonly Condition[]): Condition {
  if (conditions.length === 0) return sql<SqlBool>`1 = 1`
  const parenthesized = conditions.map((c) => sql`(${c})`)
  return sql<SqlBool>`${sql.join(parenthesized, sql` and `)}`
}
