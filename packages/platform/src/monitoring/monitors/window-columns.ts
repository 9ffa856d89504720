import type { SignatureField } from '@ballast/contracts'
import type { DriftTable } from '../drift/drift-table.js'

/** A model input a monitor watches, typed as the drift tests take it. */
export interface FeatureSpec {
  name: string
  type: 'num' | 'cat'
}

export type SchemaViolations = Record<string, { rows: number; example?: string }>

const NUMERIC = new Set(['double', 'float', 'long', 'integer', 'boolean'])

/**
 * The inputs drift and quality are computed on: numbers (booleans as 0/1) and strings. Datetimes
 * are left out, as the drift report leaves them out; binary and tensor inputs have no columns.
 */
export function featureSpecs(inputs: readonly SignatureField[]): FeatureSpec[] {
  const specs: FeatureSpec[] = []
  for (const input of inputs) {
    if (NUMERIC.has(input.type)) specs.push({ name: input.name, type: 'num' })
    else if (input.type === 'string') specs.push({ name: input.name, type: 'cat' })
  }
  return specs
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}

/**
 * Logged inputs (one JSON object per row) → one column per feature. A value of the wrong type
 * (text in a numeric input, an object anywhere) counts as a schema violation and as missing;
 * a row whose JSON does not parse counts against every feature.
 */
export function featureColumns(
  inputs: readonly string[],
  specs: readonly FeatureSpec[],
): { table: DriftTable; schemaViolations: SchemaViolations } {
  const n = inputs.length
  const numbers = specs.map((s) => (s.type === 'num' ? new Float64Array(n) : null))
  const texts = specs.map((s) => (s.type === 'cat' ? new Array<string | null>(n) : null))
  const violations: SchemaViolations = {}
  const violate = (name: string, value: unknown) => {
    const entry = (violations[name] ??= { rows: 0 })
    entry.rows++
    entry.example ??= describe(value)
  }
  for (let i = 0; i < n; i++) {
    let record: Record<string, unknown> | null = null
    try {
      const parsed: unknown = JSON.parse(inputs[i]!)
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        record = parsed as Record<string, unknown>
      }
    } catch {
      record = null
    }
    for (let c = 0; c < specs.length; c++) {
      const spec = specs[c]!
      const value = record === null ? undefined : record[spec.name]
      if (record === null) violate(spec.name, inputs[i])
      const column = numbers[c]
      if (column !== null && column !== undefined) {
        if (typeof value === 'number') column[i] = value
        else if (typeof value === 'boolean') column[i] = value ? 1 : 0
        else {
          column[i] = Number.NaN
          if (value !== null && value !== undefined && record !== null) violate(spec.name, value)
        }
      } else {
        const out = texts[c]!
        if (typeof value === 'string') out[i] = value
        else if (typeof value === 'number' || typeof value === 'boolean') out[i] = String(value)
        else {
          out[i] = null
          if (value !== null && value !== undefined && record !== null) violate(spec.name, value)
        }
      }
    }
  }
  const table: DriftTable = specs.map((spec, c) => ({
    name: spec.name,
    type: spec.type,
    values: numbers[c] ?? texts[c]!,
  }))
  return { table, schemaViolations: violations }
}

/** What the model answered, per row: the prediction and, for classifiers, class probabilities. */
export interface WindowOutputs {
  /** The class label (as text) or the predicted value; null when the row holds neither. */
  predictions: (string | number | null)[]
  /** Classifiers: n × K probabilities in the order of `classes`; NaN where a row has none. */
  probabilities: Float64Array | null
}

/**
 * Logged outputs → predictions and probabilities. Records answers hold `prediction` and
 * `probabilities` by class label; V2 answers hold the model's outputs by name (`label` as the
 * class or its index, `probabilities` as an array in class order, `prediction` for regressors).
 */
export function outputColumns(
  outputs: readonly string[],
  classes: readonly (string | number)[] | null,
): WindowOutputs {
  const n = outputs.length
  const K = classes?.length ?? 0
  const index = new Map((classes ?? []).map((c, k) => [String(c), k]))
  const predictions = new Array<string | number | null>(n)
  const probabilities = K > 0 ? new Float64Array(n * K).fill(Number.NaN) : null
  for (let i = 0; i < n; i++) {
    let out: Record<string, unknown> = {}
    try {
      const parsed: unknown = JSON.parse(outputs[i]!)
      if (typeof parsed === 'object' && parsed !== null) out = parsed as Record<string, unknown>
    } catch {
      // Unreadable output: no prediction for the row.
    }
    let value = out.prediction ?? out.label ?? out.variable ?? null
    if (Array.isArray(value)) value = value[0] ?? null
    if (K > 0 && value !== null) {
      // A V2 classifier answers the class index when the classes are strings.
      if (
        typeof value === 'number' &&
        typeof classes![0] === 'string' &&
        classes![value] !== undefined
      )
        value = classes![value]!
      predictions[i] =
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : null
    } else {
      predictions[i] = typeof value === 'number' || typeof value === 'string' ? value : null
    }
    if (probabilities !== null) {
      const p = out.probabilities ?? out.probability
      if (Array.isArray(p) && p.length === K) {
        for (let k = 0; k < K; k++) probabilities[i * K + k] = Number(p[k])
      } else if (typeof p === 'object' && p !== null) {
        for (const [label, v] of Object.entries(p as Record<string, unknown>)) {
          const k = index.get(label)
          if (k !== undefined) probabilities[i * K + k] = Number(v)
        }
      }
    }
  }
  return { predictions, probabilities }
}
