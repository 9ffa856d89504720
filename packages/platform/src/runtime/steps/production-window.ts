import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  InvalidParameterError,
  type ModelDetailsWire,
  type SignatureField,
} from '@ballast/contracts'
import { DuckEngine } from '../../data/index.js'
import { quoteIdentifier, quoteLiteral } from '../../data/duckdb/duck-engine.js'
import type { Services } from '../services.js'

/** Which labelled predictions of a deployment: the most recent `last`, before the `skipLast` newest. */
export interface WindowQuery {
  deployment: string
  last: number
  /** Leaves out this many of the most recent labelled predictions (reserved for evaluation). */
  skipLast?: number
  /** Epoch ms, inclusive / exclusive; open when absent. */
  from?: number
  to?: number
}

/** Labelled production predictions, oldest first, with the inputs as they were served. */
export interface LabelledWindow {
  deployment: string
  /** The version the deployment serves now: its signature names the input columns. */
  model: string
  version: number
  details: ModelDetailsWire
  columns: SignatureField[]
  requestIds: string[]
  /** Epoch ms. */
  times: number[]
  /** Each row's inputs, restricted to `columns`. */
  records: Record<string, unknown>[]
  /** The labels fed back, as text. */
  labels: string[]
}

function checkCount(value: number, field: string, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new InvalidParameterError(
      `Invalid value for parameter '${field}': expected an integer of at least ${min}, got ${value}`,
    )
  }
  return value
}

interface Source {
  model: string
  version: number
  details: ModelDetailsWire
  columns: SignatureField[]
}

async function servedModel(services: Services, deployment: string): Promise<Source> {
  const served = await services.serving.deployments.get(deployment)
  const { details } = await services.registry.details.show(served.model, String(served.version))
  const columns = details.signature?.inputs ?? []
  if (columns.length === 0) {
    throw new InvalidParameterError(
      `model ${served.model}/${served.version} (served by '${deployment}') has no input signature: its inputs cannot be read from the prediction log`,
    )
  }
  return { model: served.model, version: served.version, details, columns }
}

/**
 * Runs `work` over a DuckDB relation of the window's rows (request_id, time, inputs, label),
 * oldest first. The prediction store's export joins the labels; this keeps the labelled rows and
 * cuts the window from the newest end.
 */
async function withWindow<T>(
  services: Services,
  query: WindowQuery,
  work: (engine: DuckEngine, relation: string, dir: string) => Promise<T>,
): Promise<T> {
  const last = checkCount(query.last, 'last', 1)
  const skip = checkCount(query.skipLast ?? 0, 'skip_last', 0)
  const dir = await mkdtemp(path.join(tmpdir(), 'ballast-window-'))
  const engine = await DuckEngine.open({ threads: 2 })
  try {
    const exported = path.join(dir, 'predictions.parquet')
    await services.serving.predictions.exportPredictions({
      deployment: query.deployment,
      output: exported,
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
    })
    const relation =
      `(SELECT * FROM (SELECT request_id, time, inputs, label FROM read_parquet(${quoteLiteral(exported)}) ` +
      `WHERE label IS NOT NULL ORDER BY time DESC, request_id DESC LIMIT ${last} OFFSET ${skip}) ` +
      `ORDER BY time, request_id)`
    return await work(engine, relation, dir)
  } finally {
    engine.close()
    await rm(dir, { recursive: true, force: true })
  }
}

function noRows(query: WindowQuery): InvalidParameterError {
  const skipped = query.skipLast ? ` before the ${query.skipLast} most recent` : ''
  return new InvalidParameterError(
    `deployment '${query.deployment}' has no labelled predictions${skipped}: record feedback (ballast predictions feedback) before evaluating or training on them`,
  )
}

/** The most recent `last` labelled predictions of a deployment (shadow answers left out). */
export async function readLabelledWindow(
  services: Services,
  query: WindowQuery,
): Promise<LabelledWindow> {
  const source = await servedModel(services, query.deployment)
  return withWindow(services, query, async (engine, relation) => {
    const rows = await engine.all(
      `SELECT request_id, epoch_ms(time)::DOUBLE AS t, inputs, label FROM ${relation}`,
    )
    if (rows.length === 0) throw noRows(query)
    const names = source.columns.map((c) => c.name)
    const records = rows.map((row) => {
      let parsed: Record<string, unknown> = {}
      try {
        parsed = JSON.parse(String(row.inputs)) as Record<string, unknown>
      } catch {
        // An unreadable logged input leaves every column missing; scoring names the row.
      }
      return Object.fromEntries(names.map((n) => [n, parsed[n] ?? null]))
    })
    return {
      deployment: query.deployment,
      ...source,
      requestIds: rows.map((r) => String(r.request_id)),
      times: rows.map((r) => Number(r.t)),
      records,
      labels: rows.map((r) => String(r.label)),
    }
  })
}

const DUCK_TYPES: Record<string, string> = {
  long: 'BIGINT',
  integer: 'INTEGER',
  int: 'INTEGER',
  double: 'DOUBLE',
  float: 'DOUBLE',
  boolean: 'BOOLEAN',
  datetime: 'TIMESTAMP',
}

/** The label's type in training: integers when every class is one, numbers for regressors. */
function labelType(details: ModelDetailsWire): string {
  const classes = details.classes
  if (classes === null || classes.length === 0) {
    return details.task === 'regression' ? 'DOUBLE' : 'VARCHAR'
  }
  // Training names integer classes by their text ('0', '1'): such labels were integers.
  return classes.every((c) => /^-?\d{1,18}$/.test(String(c))) ? 'BIGINT' : 'VARCHAR'
}

export interface WindowFile {
  rows: number
  model: string
  version: number
  /** The label column's name. */
  label: string
}

/**
 * Writes the window as a Parquet file: one typed column per model input (as the signature types
 * it), and the label under `label` (default: the model's target), typed as it was in training.
 */
export async function writeLabelledWindow(
  services: Services,
  query: WindowQuery & { label?: string },
  output: string,
): Promise<WindowFile> {
  const source = await servedModel(services, query.deployment)
  const label = query.label ?? source.details.target ?? 'label'
  if (source.columns.some((c) => c.name === label)) {
    throw new InvalidParameterError(
      `Invalid value for parameter 'label': '${label}' is an input of model ${source.model}/${source.version}; name the label column otherwise`,
    )
  }
  return withWindow(services, query, async (engine, relation) => {
    const select = source.columns.map((c) => {
      const path = quoteLiteral(`$.${JSON.stringify(c.name)}`)
      const text = `json_extract_string(inputs, ${path})`
      if (c.type === 'datetime') {
        // Served as ISO-8601 text or as epoch milliseconds: both are the same instant.
        return (
          `CASE WHEN json_type(inputs, ${path}) IN ('BIGINT', 'UBIGINT', 'DOUBLE') ` +
          `THEN epoch_ms(TRY_CAST(json_extract(inputs, ${path}) AS DOUBLE)::BIGINT) ` +
          `ELSE TRY_CAST(${text} AS TIMESTAMP) END AS ${quoteIdentifier(c.name)}`
        )
      }
      return `TRY_CAST(${text} AS ${DUCK_TYPES[c.type] ?? 'VARCHAR'}) AS ${quoteIdentifier(c.name)}`
    })
    select.push(`TRY_CAST(label AS ${labelType(source.details)}) AS ${quoteIdentifier(label)}`)
    await engine.run(
      `COPY (SELECT ${select.join(', ')} FROM ${relation}) TO ${quoteLiteral(output)} (FORMAT parquet)`,
    )
    const [count] = await engine.all(
      `SELECT count(*)::DOUBLE AS n FROM read_parquet(${quoteLiteral(output)})`,
    )
    const rows = Number(count?.n ?? 0)
    if (rows === 0) throw noRows(query)
    return { rows, model: source.model, version: source.version, label }
  })
}

function field<T>(
  value: unknown,
  name: string,
  check: (v: unknown) => v is T,
  expected: string,
): T {
  if (!check(value)) {
    throw new InvalidParameterError(
      `Invalid value for parameter '${name}': expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`,
    )
  }
  return value
}

const isString = (v: unknown): v is string => typeof v === 'string' && v !== ''
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v)
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** `{deployment, last, skip_last?, from?, to?}` as a step's `with` writes it. */
export function windowQueryOf(value: unknown, at: string): WindowQuery {
  const q = field(value, at, isObject, '{ deployment, last, skip_last? }')
  const optional = (key: string) =>
    q[key] === undefined ? undefined : field(q[key], `${at}.${key}`, isCount, 'an integer')
  const skipLast = optional('skip_last')
  const from = optional('from')
  const to = optional('to')
  return {
    deployment: field(q.deployment, `${at}.deployment`, isString, 'a deployment name'),
    last: field(q.last, `${at}.last`, isCount, 'a number of predictions'),
    ...(skipLast === undefined ? {} : { skipLast }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  }
}
