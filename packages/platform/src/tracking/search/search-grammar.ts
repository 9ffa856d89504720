/**
 * The vocabulary of MLflow's search language: what a filter or an order_by may name, which
 * comparators each field accepts, and the aliases MLflow clients send. Runs and experiments share
 * the syntax but not the fields, so each has a grammar value here.
 */

export type EntityType = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset'

export type NumericComparator = '=' | '!=' | '<' | '<=' | '>' | '>='
export type StringComparator = '=' | '!=' | 'LIKE' | 'ILIKE'
export type ListComparator = 'IN' | 'NOT IN'
export type Comparator = NumericComparator | StringComparator | ListComparator

/** One `<entity>.<key> <comparator> <value>` clause of a filter, with aliases resolved. */
export interface Comparison {
  type: EntityType
  key: string
  comparator: Comparator
  /** A number for numeric fields, a string for string fields, a list for `IN` / `NOT IN`. */
  value: number | string | readonly string[]
}

/** One order_by clause, with aliases resolved. */
export interface OrderClause {
  type: Exclude<EntityType, 'dataset'>
  key: string
  ascending: boolean
}

/** What a filter may do with one field. */
export interface FieldSpec {
  kind: 'number' | 'string'
  comparators: readonly Comparator[]
}

export interface SearchGrammar {
  /** Entity prefixes as written → canonical entity type. */
  entities: Readonly<Record<string, EntityType>>
  /** Entity types a filter may use, and how to name them in messages. */
  filterEntities: readonly EntityType[]
  /** Entity types an order_by may use. */
  orderEntities: readonly EntityType[]
  /** Attribute names (and aliases) a filter accepts → canonical name. */
  filterAttributes: Readonly<Record<string, string>>
  /** Attribute names (and aliases) an order_by accepts → canonical name. */
  orderAttributes: Readonly<Record<string, string>>
  /** The field rules for a canonical (entity, key); undefined when the key is unknown. */
  field(type: EntityType, key: string): FieldSpec | undefined
}

export const NUMERIC_COMPARATORS: readonly NumericComparator[] = ['=', '!=', '<', '<=', '>', '>=']
const STRING_COMPARATORS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE']
const STRING_AND_LIST_COMPARATORS: readonly Comparator[] = [...STRING_COMPARATORS, 'IN', 'NOT IN']

const NUMBER_FIELD: FieldSpec = { kind: 'number', comparators: NUMERIC_COMPARATORS }
const STRING_FIELD: FieldSpec = { kind: 'string', comparators: STRING_COMPARATORS }
const STRING_LIST_FIELD: FieldSpec = { kind: 'string', comparators: STRING_AND_LIST_COMPARATORS }

const ATTRIBUTE_PREFIXES = { attribute: 'attribute', attributes: 'attribute', attr: 'attribute' }
const TAG_PREFIXES = { tag: 'tag', tags: 'tag' }

/** Entity names as messages list them. */
export const ENTITY_LABELS: Readonly<Record<EntityType, string>> = {
  metric: 'metrics',
  param: 'params',
  tag: 'tags',
  attribute: 'attributes',
  dataset: 'datasets',
}

/** The run tag MLflow keeps equal to the run's name. */
export const RUN_NAME_TAG = 'mlflow.runName'

/** The input tag MLflow uses for a dataset's role in a run (`train`, `eval`, …). */
export const DATASET_CONTEXT_TAG = 'mlflow.data.context'

const RUN_ATTRIBUTE_FIELDS: Readonly<Record<string, FieldSpec>> = {
  // Only run_id takes a list, as in MLflow: the other string attributes compare one value.
  run_id: STRING_LIST_FIELD,
  run_name: STRING_FIELD,
  status: STRING_FIELD,
  user_id: STRING_FIELD,
  artifact_uri: STRING_FIELD,
  start_time: NUMBER_FIELD,
  end_time: NUMBER_FIELD,
}

const RUN_ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.keys(RUN_ATTRIBUTE_FIELDS).map((k) => [k, k])),
  // The aliases the MLflow UI sends.
  created: 'start_time',
  Created: 'start_time',
  'run name': 'run_name',
  'Run name': 'run_name',
  'Run Name': 'run_name',
}

const DATASET_KEYS = new Set(['name', 'digest', 'context'])

export const RUN_GRAMMAR: SearchGrammar = {
  entities: {
    metric: 'metric',
    metrics: 'metric',
    param: 'param',
    params: 'param',
    parameter: 'param',
    parameters: 'param',
    ...TAG_PREFIXES,
    ...ATTRIBUTE_PREFIXES,
    run: 'attribute',
    dataset: 'dataset',
    datasets: 'dataset',
  } as Record<string, EntityType>,
  filterEntities: ['metric', 'param', 'tag', 'attribute', 'dataset'],
  orderEntities: ['metric', 'param', 'tag', 'attribute'],
  filterAttributes: RUN_ATTRIBUTE_NAMES,
  orderAttributes: RUN_ATTRIBUTE_NAMES,
  field(type, key) {
    switch (type) {
      case 'metric':
        return NUMBER_FIELD
      case 'param':
      case 'tag':
        return STRING_LIST_FIELD
      case 'dataset':
        return DATASET_KEYS.has(key) ? STRING_LIST_FIELD : undefined
      case 'attribute':
        return RUN_ATTRIBUTE_FIELDS[key]
    }
  },
}

const EXPERIMENT_ATTRIBUTE_FIELDS: Readonly<Record<string, FieldSpec>> = {
  name: STRING_FIELD,
  creation_time: NUMBER_FIELD,
  last_update_time: NUMBER_FIELD,
}

const identity = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, k]))

export const EXPERIMENT_GRAMMAR: SearchGrammar = {
  entities: { ...TAG_PREFIXES, ...ATTRIBUTE_PREFIXES } as Record<string, EntityType>,
  filterEntities: ['attribute', 'tag'],
  orderEntities: ['attribute'],
  filterAttributes: identity(Object.keys(EXPERIMENT_ATTRIBUTE_FIELDS)),
  orderAttributes: identity(['name', 'experiment_id', 'creation_time', 'last_update_time']),
  field(type, key) {
    if (type === 'tag') return STRING_FIELD
    return type === 'attribute' ? EXPERIMENT_ATTRIBUTE_FIELDS[key] : undefined
  },
}
