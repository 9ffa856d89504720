import { InvalidParameterError } from '@ballast/contracts'
import * as ort from 'onnxruntime-node'
import { type FeedBuffer, describeValue, newFeedBuffer } from './element-writers.js'
import type { InputPlan } from './input-plan.js'

const fail = (index: number, field: string, problem: string): never => {
  throw new InvalidParameterError(`records[${index}].${field}: ${problem}`)
}

/** A nested array's values in row-major order. */
function flatten(value: readonly unknown[]): unknown[] {
  if (!value.some(Array.isArray)) return value as unknown[]
  const out: unknown[] = []
  const walk = (v: unknown) => {
    if (Array.isArray(v)) for (const x of v) walk(x)
    else out.push(v)
  }
  walk(value)
  return out
}

/** A nested array's dimensions, following first elements. */
function nestedDims(value: unknown): number[] {
  const dims: number[] = []
  for (let v = value; Array.isArray(v); v = v[0]) dims.push(v.length)
  return dims
}

/**
 * Row dimensions and values per row of an input. A free row dimension takes its size from the
 * first record (the rest must agree, which the width check enforces).
 */
export function rowLayout(
  plan: InputPlan,
  first: unknown,
): { dims: readonly number[]; width: number } {
  if (plan.width !== null) return { dims: plan.rowShape, width: plan.width }
  const nested = Array.isArray(first) ? nestedDims(first) : [1]
  const dims =
    plan.rowShape.length === 1
      ? [Array.isArray(first) ? flatten(first).length : 1]
      : nested.length === plan.rowShape.length
        ? nested
        : plan.rowShape.map((d) => (d < 0 ? 1 : d))
  return { dims, width: dims.reduce((p, d) => p * d, 1) }
}

function unknownColumn(
  plans: readonly InputPlan[],
  known: ReadonlySet<string>,
  record: Record<string, unknown>,
  index: number,
): never {
  const extra = Object.keys(record).find((k) => !known.has(k)) ?? ''
  const names = plans.map((p) => p.spec.name).join(', ')
  return fail(index, extra, `unknown column; the model's inputs are ${names}`)
}

/**
 * Checks every record against the inputs and writes one batched feed per input: records[i]'s
 * value of input k lands at row i of feed k. One pass, typed arrays, no per-row objects.
 */
export function recordFeeds(
  plans: readonly InputPlan[],
  known: ReadonlySet<string>,
  records: readonly Record<string, unknown>[],
): Record<string, ort.Tensor> {
  const rows = records.length
  if (rows === 0) throw new InvalidParameterError('records: expected at least one record')
  const buffers: FeedBuffer[] = []
  const widths: number[] = []
  const dims: (readonly number[])[] = []
  for (const plan of plans) {
    if (!plan.batched && rows !== 1) {
      // The whole tensor is one record's value: there is no batch dimension to stack records on.
      throw new InvalidParameterError(
        `records: input '${plan.spec.name}' has the fixed shape [${plan.spec.shape.join(', ')}]; send one record at a time`,
      )
    }
    const layout = rowLayout(plan, records[0]?.[plan.spec.name])
    const width = layout.width
    widths.push(width)
    dims.push(plan.batched ? [rows, ...layout.dims] : layout.dims)
    buffers.push(newFeedBuffer(plan.feed, plan.batched ? rows * width : width))
  }
  for (let i = 0; i < rows; i++) {
    const record = records[i]
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new InvalidParameterError(
        `records[${i}]: expected an object of column values, got ${describeValue(record)}`,
      )
    }
    let present = 0
    for (let k = 0; k < plans.length; k++) {
      const plan = plans[k]!
      const name = plan.spec.name
      const value = record[name]
      if (value === undefined) fail(i, name, 'missing; send null for a missing value')
      present++
      const buffer = buffers[k]!
      const width = widths[k]!
      const offset = plan.batched ? i * width : 0
      if (plan.column || (width === 1 && !Array.isArray(value))) {
        const problem = plan.write(value, buffer, offset)
        if (problem !== null) fail(i, name, problem)
        continue
      }
      if (!Array.isArray(value)) {
        fail(i, name, `expected an array of ${width} values, got ${describeValue(value)}`)
      }
      const values = flatten(value as unknown[])
      if (values.length !== width) {
        fail(i, name, `expected ${width} values, got ${values.length}`)
      }
      for (let j = 0; j < width; j++) {
        const problem = plan.write(values[j], buffer, offset + j)
        if (problem !== null) fail(i, `${name}[${j}]`, problem)
      }
    }
    if (present !== Object.keys(record).length) {
      // Columns the signature names but the graph does not take (dropped in training) are fine.
      for (const key of Object.keys(record)) {
        if (!known.has(key)) unknownColumn(plans, known, record, i)
      }
    }
  }
  const feeds: Record<string, ort.Tensor> = {}
  for (let k = 0; k < plans.length; k++) {
    const plan = plans[k]!
    feeds[plan.spec.name] = new ort.Tensor(plan.feed, buffers[k]!, dims[k])
  }
  return feeds
}
