import onnxProto from 'onnx-proto'
import type {
  AttributeValue,
  Dim,
  ElemType,
  ModelOptions,
  NodeSpec,
  TensorSpec,
} from '../onnx-builder.js'

const { onnx } = onnxProto

const ELEM_TYPE_CODES: Record<ElemType, number> = {
  float: onnx.TensorProto.DataType.FLOAT,
  double: onnx.TensorProto.DataType.DOUBLE,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
  string: onnx.TensorProto.DataType.STRING,
  bool: onnx.TensorProto.DataType.BOOL,
}

// The released header, kept here so that this file does not import the builder it checks.
const IR_VERSION = 8
const DEFAULT_OPSETS: Readonly<Record<string, number>> = { '': 17, 'ai.onnx.ml': 3 }

const encoder = new TextEncoder()

function tensorType(elemType: ElemType, shape: readonly Dim[]): onnxProto.onnx.ITypeProto {
  const dim = shape.map((d) =>
    typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {},
  )
  return { tensorType: { elemType: ELEM_TYPE_CODES[elemType], shape: { dim } } }
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

/**
 * The graph builder as first released, writing through protobufjs message objects: the reference
 * that the direct encoder of OnnxGraphBuilder must match byte for byte.
 */
export class ProtobufjsGraphBuilder {
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = []
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = []
  private readonly nodes: onnxProto.onnx.INodeProto[] = []
  private readonly initializers: onnxProto.onnx.ITensorProto[] = []

  input(name: string, elemType: ElemType, shape: readonly Dim[]): this {
    this.inputs.push({ name, type: tensorType(elemType, shape) })
    return this
  }

  output(name: string, elemType: ElemType, shape: readonly Dim[]): this {
    this.outputs.push({ name, type: tensorType(elemType, shape) })
    return this
  }

  outputOfType(name: string, type: onnxProto.onnx.ITypeProto): this {
    this.outputs.push({ name, type })
    return this
  }

  initializer(spec: TensorSpec & { name: string }): this {
    this.initializers.push(tensorProto(spec))
    return this
  }

  node(spec: NodeSpec): this {
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
    return new Uint8Array(onnx.ModelProto.encode(model).finish())
  }
}
