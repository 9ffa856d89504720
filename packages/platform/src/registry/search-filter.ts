import { InvalidParameterError } from '@ballast/contracts'

/**
 * The filter language of MLflow's registry searches: comparisons joined by AND, such as
 * `name LIKE 'fraud%' AND tags.team = 'risk'` or `run_id IN ('a', 'b')`.
 */

export type FilterOp = '=' | '!=' | 'LIKE' | 'ILIKE' | 'IN'

export interface FilterClause {
  /** `name`, `run_id`, `source_path`, `version_number`, or a tag. */
  key: string
  isTag: boolean
  op: FilterOp
  values: (string | number)[]
}

const TOKEN =
  /\s*(?:(?<str>'(?:[^']|'')*'|"(?:[^"]|"")*")|(?<num>-?\d+)|(?<op>!=|<>|=|\(|\)|,)|(?<word>`[^`]*`|[A-Za-z_]\w*(?:\.(?:\w+|`[^`]*`|"[^"]*"))*))/y

interface Token {
  kind: 'str' | 'num' | 'op' | 'word'
  text: string
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < filter.length) {
    if (/^\s*$/.test(filter.slice(TOKEN.lastIndex))) break
    const m = TOKEN.exec(filter)
    if (m === null || m.groups === undefined) throw unparsable(filter)
    const g = m.groups
    if (g.str !== undefined) {
      const quote = g.str[0] as string
      tokens.push({ kind: 'str', text: g.str.slice(1, -1).replaceAll(quote + quote, quote) })
    } else if (g.num !== undefined) tokens.push({ kind: 'num', text: g.num })
    else if (g.op !== undefined) tokens.push({ kind: 'op', text: g.op === '<>' ? '!=' : g.op })
    else tokens.push({ kind: 'word', text: g.word as string })
  }
  return tokens
}

function unparsable(filter: string, why = 'Could not be parsed.'): InvalidParameterError {
  return new InvalidParameterError(`Invalid filter '${filter}'. ${why}`)
}

function unquote(name: string): string {
  return /^[`"].*[`"]$/.test(name) ? name.slice(1, -1) : name
}

/** Parses `filter`, allowing only the attribute keys in `keys` (tags are always allowed). */
export function parseFilter(filter: string | undefined, keys: readonly string[]): FilterClause[] {
  if (filter === undefined || filter.trim() === '') return []
  const tokens = tokenize(filter)
  const clauses: FilterClause[] = []
  let i = 0
  const next = (): Token => {
    const t = tokens[i++]
    if (t === undefined) throw unparsable(filter)
    return t
  }
  for (;;) {
    const keyToken = next()
    if (keyToken.kind !== 'word') throw unparsable(filter)
    const raw = keyToken.text
    const tag = /^tags\.(.+)$/i.exec(raw)
    const key =
      tag === null ? unquote(raw).replace(/^attributes?\./i, '') : unquote(tag[1] as string)
    if (tag === null && !keys.includes(key)) {
      throw unparsable(filter, `Invalid attribute key '${key}'. Valid keys are ${keys.join(', ')}.`)
    }
    const opToken = next()
    const op = opToken.text.toUpperCase()
    if (op !== '=' && op !== '!=' && op !== 'LIKE' && op !== 'ILIKE' && op !== 'IN') {
      throw unparsable(filter, `Invalid comparator '${opToken.text}'.`)
    }
    const values: (string | number)[] = []
    if (op === 'IN') {
      if (next().text !== '(') throw unparsable(filter)
      for (;;) {
        const v = next()
        if (v.kind !== 'str') throw unparsable(filter, 'IN takes a list of quoted strings.')
        values.push(v.text)
        const sep = next().text
        if (sep === ')') break
        if (sep !== ',') throw unparsable(filter)
      }
    } else {
      const v = next()
      if (v.kind === 'num' && key === 'version_number' && tag === null) values.push(Number(v.text))
      else if (v.kind === 'str') values.push(v.text)
      else throw unparsable(filter, `Expected a quoted string after '${raw} ${opToken.text}'.`)
    }
    clauses.push({ key, isTag: tag !== null, op, values })
    if (i === tokens.length) return clauses
    if (next().text.toUpperCase() !== 'AND') throw unparsable(filter)
  }
}
