import onnxProto from 'onnx-proto'
import { InvalidParameterError } from '@ballast/contracts'
import { ProtoWriter, WIRE_FIXED32, WIRE_VARINT } from './proto-writer.js'

const { onnx } = onnxProto

/** Opsets of every model Ballast writes; ml opset 3 still has the classic tree operators. */
export const DEFAULT_OPSETS: Readonly<Record<string, number>> = { '': 17, 'ai.onnx.ml': 3 }

/** IR version 8 (ONNX 1.10), the newest the bundled protobuf messages describe. */
export const IR_VERSION = 8

export const ML_DOMAIN = 'ai.onnx.ml'

export type ElemType = 'float' | 'double' | 'int64' | 'int32' | 'string' | 'bool'

const ELEM_TYPE_CODES: Record<ElemType, number> = {
  float: onnx.TensorProto.DataType.FLOAT,
  double: onnx.TensorProto.DataType.DOUBLE,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
  string: onnx.TensorProto.DataType.STRING,
  bool: onnx.TensorProto.DataType.BOOL,
}

/** A dimension: a fixed size, a symbolic name (e.g. `N` for the batch), or unknown. */
export type Dim = number | string | null

export type AttributeValue =
  | { kind: 'float'; value: number }
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'floats'; value: ArrayLike<number> }
  | { kind: 'ints'; value: ArrayLike<number> }
  | { kind: 'strings'; value: readonly string[] }
  | { kind: 'tensor'; value: TensorSpec }

export const attr = {
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
  int: (value: number): AttributeValue => ({ kind: 'int', value }),
  string: (value: string): AttributeValue => ({ kind: 'string', value }),
  floats: (value: ArrayLike<number>): AttributeValue => ({ kind: 'floats', value }),
  ints: (value: ArrayLike<number>): AttributeValue => ({ kind: 'ints', value }),
  strings: (value: readonly string[]): AttributeValue => ({ kind: 'strings', value }),
  tensor: (value: TensorSpec): AttributeValue => ({ kind: 'tensor', value }),
}

export interface TensorSpec {
  name?: string
  elemType: 'float' | 'int64' | 'string'
  dims: readonly number[]
  values: ArrayLike<number> | readonly string[]
}

export interface NodeSpec {
  opType: string
  /** '' (ai.onnx) unless given. */
  domain?: string
  inputs: readonly string[]
  outputs: readonly string[]
  name?: string
  attributes?: Record<string, AttributeValue>
}

export interface ModelOptions {
  graphName?: string
  docString?: string
  metadata?: Record<string, string>
  opsets?: Record<string, number>
}

const utf8 = new TextEncoder()

function tensorType(elemType: ElemType, shape: readonly Dim[]): onnxProto.onnx.ITypeProto {
  const dim = shape.map((d) =>
    typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {},
  )
  return { tensorType: { elemType: ELEM_TYPE_CODES[elemType], shape: { dim } } }
}

/** seq(map(key, float)): the type of a ZipMap output. */
export function zipMapType(keyType: 'int64' | 'string'): onnxProto.onnx.ITypeProto {
  return {
    sequenceType: {
      elemType: {
        mapType: { keyType: ELEM_TYPE_CODES[keyType], valueType: tensorType('float', []) },
      },
    },
  }
}

// Field numbers of onnx.proto (ONNX 1.10). Fields are written in the order protobufjs writes
// them, so the bytes equal those of onnx-proto's encoder.

function writeTensor(w: ProtoWriter, spec: TensorSpec): void {
  w.packedInt64(1, spec.dims)
  w.tag(2, WIRE_VARINT)
  w.int32(ELEM_TYPE_CODES[spec.elemType])
  if (spec.elemType === 'string') w.repeatedUtf8(6, spec.values as readonly string[])
  else if (spec.elemType === 'float') w.packedFloat(4, spec.values as ArrayLike<number>)
  else w.packedInt64(7, spec.values as ArrayLike<number>)
  w.string(8, spec.name ?? '')
}

function writeAttribute(w: ProtoWriter, name: string, a: AttributeValue): void {
  const T = onnx.AttributeProto.AttributeType
  w.fork(5)
  w.string(1, name)
  let type: number
  switch (a.kind) {
    case 'float':
      w.tag(2, WIRE_FIXED32)
      w.float(a.value)
      type = T.FLOAT
      break
    case 'int':
      w.tag(3, WIRE_VARINT)
      w.int64(a.value)
      type = T.INT
      break
    case 'string':
      w.bytes(4, utf8.encode(a.value))
      type = T.STRING
      break
    case 'tensor':
      w.fork(5)
      writeTensor(w, a.value)
      w.ldelim()
      type = T.TENSOR
      break
    case 'floats':
      w.packedFloat(7, a.value)
      type = T.FLOATS
      break
    case 'ints':
      w.packedInt64(8, a.value)
      type = T.INTS
      break
    case 'strings':
      w.repeatedUtf8(9, a.value)
      type = T.STRINGS
      break
  }
  w.tag(20, WIRE_VARINT)
  w.int32(type)
  w.ldelim()
}

function encodeNode(spec: NodeSpec, name: string): Uint8Array {
  const w = new ProtoWriter(1024)
  for (const input of spec.inputs) w.string(1, input)
  for (const output of spec.outputs) w.string(2, output)
  w.string(3, name)
  w.string(4, spec.opType)
  for (const [attributeName, value] of Object.entries(spec.attributes ?? {})) {
    writeAttribute(w, attributeName, value)
  }
  w.string(7, spec.domain ?? '')
  return w.finish()
}

function encodeValueInfo(name: string, type: onnxProto.onnx.ITypeProto): Uint8Array {
  const w = new ProtoWriter(64)
  w.string(1, name)
  // Types are small and nested in many shapes: protobufjs writes them.
  w.bytes(2, onnx.TypeProto.encode(type).finish())
  return w.finish()
}

function encodeInitializer(spec: TensorSpec): Uint8Array {
  const w = new ProtoWriter(256)
  writeTensor(w, spec)
  return w.finish()
}

const totalLength = (parts: readonly Uint8Array[]): number =>
  parts.reduce((sum, part) => sum + part.length, 0)

/**
 * Collects one graph's inputs, nodes, initializers and outputs, then writes a ModelProto. Each
 * part is encoded when it is added (later changes to the arrays passed in do not reach the model).
 */
export class OnnxGraphBuilder {
  private readonly inputs: Uint8Array[] = []
  private readonly outputs: Uint8Array[] = []
  private readonly nodes: Uint8Array[] = []
  private readonly initializers: Uint8Array[] = []
  private readonly names = new Set<string>()

  input(name: string, elemType: ElemType, shape: readonly Dim[]): this {
    this.claim(name)
    this.inputs.push(encodeValueInfo(name, tensorType(elemType, shape)))
    return this
  }

  output(name: string, elemType: ElemType, shape: readonly Dim[]): this {
    this.outputs.push(encodeValueInfo(name, tensorType(elemType, shape)))
    return this
  }

  /** An output of a non-tensor type, e.g. `zipMapType('int64')`. */
  outputOfType(name: string, type: onnxProto.onnx.ITypeProto): this {
    this.outputs.push(encodeValueInfo(name, type))
    return this
  }

  initializer(spec: TensorSpec & { name: string }): this {
    this.claim(spec.name)
    this.initializers.push(encodeInitializer(spec))
    return this
  }

  node(spec: NodeSpec): this {
    for (const output of spec.outputs) this.claim(output)
    this.nodes.push(encodeNode(spec, spec.name ?? `${spec.opType}_${this.nodes.length}`))
    return this
  }

  build(options: ModelOptions = {}): Uint8Array {
    const opsets = options.opsets ?? DEFAULT_OPSETS
    const parts = [this.nodes, this.initializers, this.inputs, this.outputs]
    const w = new ProtoWriter(parts.reduce((sum, p) => sum + totalLength(p) + 6 * p.length, 4096))
    w.tag(1, WIRE_VARINT)
    w.int64(IR_VERSION)
    w.string(2, 'ballast')
    w.string(6, options.docString ?? '')
    w.fork(7)
    for (const node of this.nodes) w.bytes(1, node)
    w.string(2, options.graphName ?? 'ballast_model')
    for (const initializer of this.initializers) w.bytes(5, initializer)
    for (const input of this.inputs) w.bytes(11, input)
    for (const output of this.outputs) w.bytes(12, output)
    w.ldelim()
    for (const [domain, version] of Object.entries(opsets)) {
      w.fork(8)
      w.string(1, domain)
      w.tag(2, WIRE_VARINT)
      w.int64(version)
      w.ldelim()
    }
    for (const [key, value] of Object.entries(options.metadata ?? {})) {
      w.fork(14)
      w.string(1, key)
      // protobufjs leaves out an absent value; a caller's optional field can be undefined.
      if (value != null) w.string(2, value)
      w.ldelim()
    }
    return w.finish()
  }

  // SSA: a value name produced twice would make an invalid graph that fails only at load time.
  // It happens when a feature or column name clashes with another or with a generated name.
  private claim(name: string): void {
    if (this.names.has(name)) {
      throw new InvalidParameterError(
        `ONNX graph value '${name}' is defined twice; rename the feature or column '${name}'`,
      )
    }
    this.names.add(name)
  }
}
