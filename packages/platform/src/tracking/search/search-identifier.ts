import type { Token, TokenError } from './filter-tokenizer.js'
import { ENTITY_LABELS, type EntityType, type SearchGrammar } from './search-grammar.js'

type IdentifierToken = Extract<Token, { kind: 'identifier' }>

export interface ResolvedIdentifier {
  type: EntityType
  key: string
}

/** Where the identifier appears: filters and order_by clauses accept different fields. */
export interface IdentifierScope {
  entities: readonly EntityType[]
  attributes: Readonly<Record<string, string>>
}

export function isKeyword(token: Token, word: string): boolean {
  return (
    token.kind === 'identifier' &&
    token.parts.length === 1 &&
    !token.parts[0]!.quoted &&
    token.parts[0]!.name.toUpperCase() === word
  )
}

/**
 * Resolves `metrics.acc`, ``tags.`a b` ``, `attr.created` or a bare `status` (an attribute, as
 * MLflow reads a name without a prefix) to a canonical entity type and key.
 */
export function resolveIdentifier(
  token: IdentifierToken,
  grammar: SearchGrammar,
  scope: IdentifierScope,
  fail: TokenError,
): ResolvedIdentifier {
  const at = `'${token.text}' at position ${token.pos}`
  const [first, ...rest] = token.parts
  if (first === undefined) throw fail(`unexpected token ${at}`)
  if (rest.length === 0) {
    const key = scope.attributes[first.name]
    if (key === undefined) {
      const prefixes = scope.entities.map((e) => `${ENTITY_LABELS[e]}.<key>`).join(', ')
      throw fail(`unknown field ${at}; write one of ${prefixes}`)
    }
    return { type: 'attribute', key }
  }

  const type = grammar.entities[first.name.toLowerCase()]
  if (type === undefined || !scope.entities.includes(type)) {
    const valid = scope.entities.map((e) => ENTITY_LABELS[e]).join(', ')
    throw fail(`unknown entity type '${first.name}' in ${at}; valid types are ${valid}`)
  }
  if (rest.length > 1 && rest.some((p) => p.quoted)) {
    throw fail(`a quoted key must be the whole key, in ${at}`)
  }
  const key = rest.map((p) => p.name).join('.')
  if (key === '') throw fail(`empty key in ${at}`)

  if (type === 'attribute') {
    const attribute = scope.attributes[key]
    if (attribute === undefined) {
      const valid = Object.keys(scope.attributes).join(', ')
      throw fail(`unknown attribute '${key}' in ${at}; valid attributes are ${valid}`)
    }
    return { type, key: attribute }
  }
  if (type === 'dataset' && grammar.field(type, key) === undefined) {
    throw fail(`unknown dataset field '${key}' in ${at}; valid fields are name, digest, context`)
  }
  return { type, key }
}
