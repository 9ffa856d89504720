import onnxProto from 'onnx-proto'
import { InvalidParameterError } from '@ballast/contracts'

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

const encoder = new TextEncoder()

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

function tensorProto(spec: TensorSpec): onnxProto.onnx.ITensorProto {
  const base = {
    name: spec.name ?? '',
    dims: [...spec.dims],
    dataType: ELEM_TYPE_CODES[spec.elemType],
  }
  if (spec.elemType === 'string') {
    return { ...base, stringData: (spec.values as readonly string[]).map((s) => encoder.encode(s)) }
  }
  const values = Array.from(spec.values as ArrayLike<number>)
  return spec.elemType === 'float' ? { ...base, floatData: values } : { ...base, int64Data: values }
}

function attributeProto(name: string, a: AttributeValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType
  switch (a.kind) {
    case 'float':
      return { name, type: T.FLOAT, f: a.value }
    case 'int':
      return { name, type: T.INT, i: a.value }
    case 'string':
      return { name, type: T.STRING, s: encoder.encode(a.value) }
    case 'floats':
      return { name, type: T.FLOATS, floats: Array.from(a.value) }
    case 'ints':
      return { name, type: T.INTS, ints: Array.from(a.value) }
    case 'strings':
      return { name, type: T.STRINGS, strings: a.value.map((s) => encoder.encode(s)) }
    case 'tensor':
      return { name, type: T.TENSOR, t: tensorProto(a.value) }
  }
}

/** Collects one graph's inputs, nodes, initializers and outputs, then writes a ModelProto. */
export class OnnxGraphBuilder {
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = []
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = []
  private readonly nodes: onnxProto.onnx.INodeProto[] = []
  private readonly initializers: onnxProto.onnx.ITensorProto[] = []
  private readonly names = new Set<string>()

  input(name: string, elemType: ElemType, shape: readonly Dim[]): this {
    this.claim(name)
    this.inputs.push({ name, type: tensorType(elemType, shape) })
    return this
  }

  output(name: string, elemType: ElemType, shape: readonly Dim[]): this {
    this.outputs.push({ name, type: tensorType(elemType, shape) })
    return this
  }

  /** An output of a non-tensor type, e.g. `zipMapType('int64')`. */
  outputOfType(name: string, type: onnxProto.onnx.ITypeProto): this {
    this.outputs.push({ name, type })
    return this
  }

  initializer(spec: TensorSpec & { name: string }): this {
    this.claim(spec.name)
    this.initializers.push(tensorProto(spec))
    return this
  }

  node(spec: NodeSpec): this {
    for (const output of spec.outputs) this.claim(output)
    this.nodes.push({
      opType: spec.opType,
      domain: spec.domain ?? '',
      input: [...spec.inputs],
      output: [...spec.outputs],
      name: spec.name ?? `${spec.opType}_${this.nodes.length}`,
      attribute: Object.entries(spec.attributes ?? {}).map(([n, a]) => attributeProto(n, a)),
    })
    return this
  }

  build(options: ModelOptions = {}): Uint8Array {
    const opsets = options.opsets ?? DEFAULT_OPSETS
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: 'ballast',
      docString: options.docString ?? '',
      opsetImport: Object.entries(opsets).map(([domain, version]) => ({ domain, version })),
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: options.graphName ?? 'ballast_model',
        input: this.inputs,
        output: this.outputs,
        node: this.nodes,
        initializer: this.initializers,
      },
    })
    return onnx.ModelProto.encode(model).finish()
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
