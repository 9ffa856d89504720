import { InvalidParameterError } from '@ballast/contracts'
import { type LoadedModel, V2_DATATYPES, type V2Datatype, type V2Tensor } from '../serving-types.js'

/**
 * Request bodies of the inference protocols, checked by hand: these are the hot routes, and a
 * zod pass over every value of a batch would cost more than the model. The values themselves
 * are checked against the model's signature by the model runtime.
 */

export interface V2InferRequest {
  id?: string
  parameters?: Record<string, unknown>
  inputs: V2Tensor[]
  /** Names of the outputs asked for; all when absent. */
  outputs?: string[]
}

const DATATYPES = new Set<string>(V2_DATATYPES)

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function bodyObject(raw: unknown): Record<string, unknown> {
  if (!isObject(raw)) throw new InvalidParameterError('the request body must be a JSON object')
  return raw
}

function nonEmptyArray(body: Record<string, unknown>, field: string): unknown[] {
  const value = body[field]
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidParameterError(`'${field}' must be a non-empty array`)
  }
  return value
}

function parseTensor(value: unknown, at: string): V2Tensor {
  if (!isObject(value)) throw new InvalidParameterError(`${at} must be an object`)
  const { name, datatype, shape, data, parameters } = value
  if (typeof name !== 'string' || name === '') {
    throw new InvalidParameterError(`${at}.name must be a non-empty string`)
  }
  if (typeof datatype !== 'string' || !DATATYPES.has(datatype)) {
    throw new InvalidParameterError(
      `${at}.datatype: ${JSON.stringify(datatype)} is not one of ${V2_DATATYPES.join(', ')}`,
    )
  }
  if (
    !Array.isArray(shape) ||
    !shape.every((d): d is number => Number.isInteger(d) && (d as number) >= 0)
  ) {
    throw new InvalidParameterError(`${at}.shape must be an array of non-negative integers`)
  }
  if (!Array.isArray(data)) throw new InvalidParameterError(`${at}.data must be an array`)
  // Nested (row by row) and flat data are both allowed; the rest of the way it is flat.
  const flat = (data.some(Array.isArray) ? data.flat(Infinity) : data) as V2Tensor['data']
  const size = shape.reduce((a, b) => a * b, 1)
  if (flat.length !== size) {
    throw new InvalidParameterError(
      `${at}.data holds ${flat.length} values; shape [${shape.join(', ')}] holds ${size}`,
    )
  }
  if (parameters !== undefined && !isObject(parameters)) {
    throw new InvalidParameterError(`${at}.parameters must be an object`)
  }
  return {
    name,
    datatype: datatype as V2Datatype,
    shape,
    data: flat,
    ...(parameters === undefined ? {} : { parameters }),
  }
}

/** An Open Inference Protocol inference request. */
export function parseV2InferRequest(raw: unknown): V2InferRequest {
  const body = bodyObject(raw)
  const request: V2InferRequest = {
    inputs: nonEmptyArray(body, 'inputs').map((t, i) => parseTensor(t, `inputs[${i}]`)),
  }
  if (body.id !== undefined) {
    if (typeof body.id !== 'string') throw new InvalidParameterError("'id' must be a string")
    request.id = body.id
  }
  if (body.parameters !== undefined) {
    if (!isObject(body.parameters)) {
      throw new InvalidParameterError("'parameters' must be an object")
    }
    request.parameters = body.parameters
  }
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs)) throw new InvalidParameterError("'outputs' must be an array")
    request.outputs = body.outputs.map((o: unknown, i) => {
      if (!isObject(o) || typeof o.name !== 'string') {
        throw new InvalidParameterError(`outputs[${i}].name must be a string`)
      }
      return o.name
    })
  }
  return request
}

/**
 * KServe V1 instances → records. An instance is a record (object), or an array of values in the
 * order of the model's inputs; a bare value is the one input of a one-input model.
 */
export function parseV1Instances(raw: unknown, model: LoadedModel): Record<string, unknown>[] {
  const instances = nonEmptyArray(bodyObject(raw), 'instances')
  const names = model.inputs.map((i) => i.name)
  return instances.map((instance, i) => {
    if (isObject(instance)) return instance
    if (Array.isArray(instance)) {
      if (instance.length !== names.length) {
        throw new InvalidParameterError(
          `instances[${i}] has ${instance.length} values; the model takes ${names.length} inputs in this order: ${names.join(', ')}`,
        )
      }
      const record: Record<string, unknown> = {}
      for (let k = 0; k < names.length; k++) record[names[k]!] = instance[k]
      return record
    }
    if (names.length === 1) return { [names[0]!]: instance }
    throw new InvalidParameterError(
      `instances[${i}] must be an object (column → value) or an array in input order: ${names.join(', ')}`,
    )
  })
}

/** Ballast's own body: `{records: [{column: value}, …]}`. */
export function parseRecordsRequest(raw: unknown): Record<string, unknown>[] {
  const records = nonEmptyArray(bodyObject(raw), 'records')
  for (let i = 0; i < records.length; i++) {
    if (!isObject(records[i])) {
      throw new InvalidParameterError(`records[${i}] must be an object (column → value)`)
    }
  }
  return records as Record<string, unknown>[]
}
