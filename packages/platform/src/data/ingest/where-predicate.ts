import { InvalidParameterError } from '@ballast/contracts'
import { type DuckEngine, quoteIdentifier } from '../duckdb/duck-engine.js'
import type { SourceColumn } from './source-relation.js'

// Words that start or join statements: a predicate never needs one, and a subquery always does.
const STATEMENT_KEYWORDS = [
  'select',
  'insert',
  'update',
  'delete',
  'drop',
  'create',
  'alter',
  'attach',
  'detach',
  'copy',
  'pragma',
  'install',
  'load',
  'call',
  'export',
  'import',
  'set',
  'reset',
  'with',
  'from',
  'union',
  'intersect',
  'except',
  'execute',
  'prepare',
  'begin',
  'commit',
  'rollback',
  'vacuum',
  'checkpoint',
  'use',
  'describe',
  'show',
  'summarize',
  'explain',
  'truncate',
  'grant',
  'returning',
]
const KEYWORD_PATTERN = new RegExp(`\\b(${STATEMENT_KEYWORDS.join('|')})\\b`, 'i')

function invalid(where: string, why: string): InvalidParameterError {
  return new InvalidParameterError(`invalid where ${JSON.stringify(where)}: ${why}`)
}

/** The text with string literals and quoted identifiers blanked, so that `'drop'` is a value. */
function withoutQuoted(where: string): string {
  return where.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, (m) => ' '.repeat(m.length))
}

/**
 * A `--where` filter must be one boolean expression over the file's columns. Text checks refuse
 * statement separators, comments, subqueries and statement keywords; then DuckDB parses and binds
 * it against an empty relation with the file's column names and types, so that nothing is read
 * and nothing runs.
 */
export async function checkWherePredicate(
  engine: DuckEngine,
  where: string,
  columns: readonly SourceColumn[],
): Promise<void> {
  if (where.trim() === '') throw invalid(where, 'the predicate is empty')
  if (where.includes(';')) throw invalid(where, "';' is not allowed: give one predicate")
  const bare = withoutQuoted(where)
  if (/--|\/\*/.test(bare)) throw invalid(where, 'comments are not allowed')
  const keyword = KEYWORD_PATTERN.exec(bare)
  if (keyword !== null) {
    throw invalid(
      where,
      `'${keyword[1]}' is not allowed: give a predicate over the columns, without subqueries or statements`,
    )
  }
  const empty = `(SELECT ${columns
    .map((c) => `CAST(NULL AS ${c.duckType}) AS ${quoteIdentifier(c.name)}`)
    .join(', ')} LIMIT 0) AS t`
  let type: string
  try {
    await engine.all(`EXPLAIN SELECT * FROM ${empty} WHERE (${where})`)
    const described = await engine.all(`DESCRIBE SELECT (${where}) AS predicate FROM ${empty}`)
    type = String(described[0]?.column_type)
  } catch (cause) {
    const message = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0]!
    throw new InvalidParameterError(
      `invalid where ${JSON.stringify(where)}: not a predicate over the columns (${columns
        .map((c) => c.name)
        .join(', ')}): ${message}`,
      { cause },
    )
  }
  if (type !== 'BOOLEAN')
    throw invalid(where, `the expression is ${type}, not a true/false predicate`)
}
