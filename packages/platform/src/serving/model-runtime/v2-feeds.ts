import { InvalidParameterError } from '@ballast/contracts'
import * as ort from 'onnxruntime-node'
import type { V2Datatype, V2Tensor } from '../serving-types.js'
import { newFeedBuffer } from './element-writers.js'
import type { InputPlan } from './input-plan.js'

const NUMERIC = new Set<V2Datatype>([
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
])

/**
 * Whether a tensor of `datatype` can feed the input. Numbers convert between numeric types
 * (a client sends INT64 for a long column the graph reads as FP32); booleans feed boolean
 * columns; BYTES carries ISO-8601 text for datetime columns.
 */
function accepts(plan: InputPlan, datatype: V2Datatype): boolean {
  if (datatype === plan.spec.datatype) return true
  const target = plan.spec.datatype
  if (target === 'BYTES' || target === 'BOOL') return false
  if (datatype === 'BOOL') return plan.spec.type === 'boolean'
  if (datatype === 'BYTES') return plan.spec.type === 'datetime'
  return NUMERIC.has(datatype)
}

function flatData(data: readonly unknown[]): readonly unknown[] {
  if (!data.some(Array.isArray)) return data
  return (data as unknown[]).flat(Infinity)
}

/**
 * V2 input tensors → feeds: every graph input present once, datatypes the input accepts, shapes
 * that match the graph's (the batch dimension free, the same in every input) and hold as many
 * values as `data`.
 */
export function v2Feeds(
  plans: readonly InputPlan[],
  byName: ReadonlyMap<string, number>,
  inputs: readonly V2Tensor[],
): Record<string, ort.Tensor> {
  const given: (V2Tensor | undefined)[] = new Array(plans.length)
  let batch: { size: number; at: number } | null = null
  for (let t = 0; t < inputs.length; t++) {
    const tensor = inputs[t]!
    const k = byName.get(tensor.name)
    if (k === undefined) {
      const names = plans.map((p) => p.spec.name).join(', ')
      throw new InvalidParameterError(
        `inputs[${t}].name: unknown input '${tensor.name}'; the model's inputs are ${names}`,
      )
    }
    if (given[k] !== undefined) {
      throw new InvalidParameterError(`inputs[${t}].name: input '${tensor.name}' is given twice`)
    }
    given[k] = tensor
    const plan = plans[k]!
    if (!accepts(plan, tensor.datatype)) {
      throw new InvalidParameterError(
        `inputs[${t}].datatype: input '${tensor.name}' takes ${plan.spec.datatype}, got ${tensor.datatype}`,
      )
    }
    checkShape(plan, tensor, t)
    if (plan.batched) {
      const size = tensor.shape[0]!
      if (batch === null) batch = { size, at: t }
      else if (size !== batch.size) {
        throw new InvalidParameterError(
          `inputs[${t}].shape: batch size ${size} differs from ${batch.size} (inputs[${batch.at}])`,
        )
      }
    }
  }
  const feeds: Record<string, ort.Tensor> = {}
  for (let k = 0; k < plans.length; k++) {
    const plan = plans[k]!
    const tensor = given[k]
    if (tensor === undefined) {
      throw new InvalidParameterError(`inputs: missing input '${plan.spec.name}'`)
    }
    const t = inputs.indexOf(tensor)
    const data = flatData(tensor.data)
    const buffer = newFeedBuffer(plan.feed, data.length)
    for (let j = 0; j < data.length; j++) {
      const problem = plan.write(data[j], buffer, j)
      if (problem !== null) throw new InvalidParameterError(`inputs[${t}].data[${j}]: ${problem}`)
    }
    // Ballast's [N, 1] columns also take a [N] tensor: the graph gets the shape it declares.
    const dims =
      plan.batched && tensor.shape.length === 1 && plan.rowShape.length === 1
        ? [tensor.shape[0]!, 1]
        : tensor.shape
    feeds[plan.spec.name] = new ort.Tensor(plan.feed, buffer, dims)
  }
  return feeds
}

function checkShape(plan: InputPlan, tensor: V2Tensor, t: number): void {
  const shape = tensor.shape
  const name = tensor.name
  const expected = plan.spec.shape
  const fail = (problem: string): never => {
    throw new InvalidParameterError(
      `inputs[${t}].shape: input '${name}' has shape [${expected.join(', ')}], got [${shape.join(', ')}]${problem}`,
    )
  }
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) fail('')
  const squeezed = plan.batched && shape.length === 1 && plan.rowShape.length === 1
  if (
    squeezed ? plan.rowShape[0] !== 1 && plan.rowShape[0] !== -1 : shape.length !== expected.length
  )
    fail('')
  if (!squeezed) {
    for (let d = plan.batched ? 1 : 0; d < expected.length; d++) {
      if (expected[d] !== -1 && expected[d] !== shape[d]) fail('')
    }
  }
  if (plan.batched && shape[0] === 0) fail(': the batch is empty')
  const size = shape.reduce((p, d) => p * d, 1)
  const length = flatData(tensor.data).length
  if (size !== length) {
    throw new InvalidParameterError(
      `inputs[${t}].data: input '${name}' of shape [${shape.join(', ')}] holds ${size} values, got ${length}`,
    )
  }
}
