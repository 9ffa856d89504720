import { InvalidParameterError } from '@ballast/contracts'
import { type RawBuilder, sql } from 'kysely'
import type { MetadataStore } from '../storage/index.js'
import type { ModelVersionRow } from './registry-reader.js'
import { type FilterClause, parseFilter } from './search-filter.js'

/** Registered-model and model-version searches: filter, order_by and offset paging, as MLflow. */

export interface RegistrySearchInput {
  filter?: string | undefined
  maxResults: number
  orderBy?: readonly string[] | undefined
  pageToken?: string | undefined
}

export interface Page<T> {
  items: T[]
  nextPageToken?: string
}

const MODEL_KEYS = ['name'] as const
const VERSION_KEYS = ['name', 'run_id', 'source_path', 'version_number'] as const

const MODEL_ORDER: Record<string, string> = {
  name: 'name',
  creation_timestamp: 'creation_timestamp',
  last_updated_timestamp: 'last_updated_timestamp',
  timestamp: 'last_updated_timestamp',
}
const VERSION_ORDER: Record<string, string> = {
  name: 'name',
  version_number: 'version',
  creation_timestamp: 'creation_timestamp',
  last_updated_timestamp: 'last_updated_timestamp',
  timestamp: 'last_updated_timestamp',
}
const VERSION_COLUMNS: Record<string, string> = {
  name: 'name',
  run_id: 'run_id',
  source_path: 'source',
  version_number: 'version',
}

function decodeOffset(token: string | undefined): number {
  if (token === undefined || token === '') return 0
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    value = undefined
  }
  const offset = (value as { offset?: unknown } | undefined)?.offset
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw new InvalidParameterError(
      `Invalid value for parameter 'page_token': not a page token of this server`,
    )
  }
  return offset
}

function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64url')
}

/** `name ASC`, `last_updated_timestamp DESC`… → SQL; MLflow's wording for unknown keys. */
function orderClauses(
  orderBy: readonly string[] | undefined,
  columns: Record<string, string>,
): RawBuilder<unknown>[] {
  return (orderBy ?? []).map((clause) => {
    const m = /^\s*(\S+)(?:\s+(ASC|DESC))?\s*$/i.exec(clause)
    const column = m === null ? undefined : columns[m[1] as string]
    if (m === null || column === undefined) {
      throw new InvalidParameterError(
        `Invalid order_by clause '${clause}'. Valid keys are ` +
          `${Object.keys(columns).join(', ')}, each optionally followed by ASC or DESC.`,
      )
    }
    const desc = m[2]?.toUpperCase() === 'DESC'
    return desc ? sql`${sql.ref(column)} desc` : sql`${sql.ref(column)} asc`
  })
}

function comparison(
  store: MetadataStore,
  column: RawBuilder<unknown>,
  clause: FilterClause,
): RawBuilder<boolean> {
  const [value] = clause.values
  switch (clause.op) {
    case '=':
      return sql<boolean>`${column} = ${value}`
    case '!=':
      return sql<boolean>`${column} <> ${value}`
    case 'LIKE':
      return sql<boolean>`${column} like ${value}`
    case 'ILIKE':
      return store.capabilities.supportsIlike
        ? sql<boolean>`${column} ilike ${value}`
        : sql<boolean>`lower(${column}) like lower(${value})`
    case 'IN':
      return sql<boolean>`${column} in (${sql.join(clause.values)})`
  }
}

function tagCondition(
  store: MetadataStore,
  table: 'registered_model_tags' | 'model_version_tags',
  outer: 'registered_models' | 'model_versions',
  clause: FilterClause,
): RawBuilder<boolean> {
  const versionJoin =
    table === 'model_version_tags' ? sql` and t.version = ${sql.ref(`${outer}.version`)}` : sql``
  return sql<boolean>`exists (select 1 from ${sql.table(table)} t where t.name = ${sql.ref(
    `${outer}.name`,
  )}${versionJoin} and t.key = ${clause.key} and ${comparison(store, sql.ref('t.value'), clause)})`
}

export async function searchModelNames(
  store: MetadataStore,
  input: RegistrySearchInput,
): Promise<Page<string>> {
  const clauses = parseFilter(input.filter, MODEL_KEYS)
  const offset = decodeOffset(input.pageToken)
  let query = store.db.selectFrom('registered_models').select('name')
  for (const clause of clauses) {
    query = query.where(
      clause.isTag
        ? tagCondition(store, 'registered_model_tags', 'registered_models', clause)
        : comparison(store, sql.ref('registered_models.name'), clause),
    )
  }
  for (const order of orderClauses(input.orderBy, MODEL_ORDER)) query = query.orderBy(order)
  const rows = await query
    .orderBy('name', 'asc')
    .limit(input.maxResults + 1)
    .offset(offset)
    .execute()
  return page(
    rows.map((r) => r.name),
    input.maxResults,
    offset,
  )
}

export async function searchVersionRows(
  store: MetadataStore,
  input: RegistrySearchInput,
): Promise<Page<ModelVersionRow>> {
  const clauses = parseFilter(input.filter, VERSION_KEYS)
  const offset = decodeOffset(input.pageToken)
  let query = store.db.selectFrom('model_versions').selectAll()
  for (const clause of clauses) {
    query = query.where(
      clause.isTag
        ? tagCondition(store, 'model_version_tags', 'model_versions', clause)
        : comparison(
            store,
            sql.ref(`model_versions.${VERSION_COLUMNS[clause.key] as string}`),
            clause,
          ),
    )
  }
  const orders = orderClauses(input.orderBy, VERSION_ORDER)
  if (orders.length === 0) query = query.orderBy('last_updated_timestamp', 'desc')
  for (const order of orders) query = query.orderBy(order)
  const rows = await query
    .orderBy('name', 'asc')
    .orderBy('version', 'desc')
    .limit(input.maxResults + 1)
    .offset(offset)
    .execute()
  return page(rows, input.maxResults, offset)
}

function page<T>(rows: T[], maxResults: number, offset: number): Page<T> {
  if (rows.length <= maxResults) return { items: rows }
  return { items: rows.slice(0, maxResults), nextPageToken: encodeOffset(offset + maxResults) }
}
