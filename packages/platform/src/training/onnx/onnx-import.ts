import * as ort from 'onnxruntime-node'
import onnxProto from 'onnx-proto'
import { InvalidParameterError } from '@ballast/contracts'
import type { Dim } from './onnx-builder.js'

const { onnx } = onnxProto

/** Operator domains onnxruntime ships; anything else needs a custom operator library. */
const KNOWN_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml', 'com.microsoft'])

export interface OnnxValueSignature {
  name: string
  /** `tensor(float)`, `tensor(string)`, …, or `seq(map(int64,float))` for a ZipMap output. */
  type: string
  /** Tensor dimensions (number, symbolic name or null when unknown); null for non-tensors. */
  shape: Dim[] | null
  /** True for ZipMap's list of {class: probability} maps (skl2onnx, onnxmltools). */
  zipMap: boolean
}

export interface OnnxInspection {
  irVersion: number
  producer: { name: string; version: string }
  /** Domain ('ai.onnx' for the default one) → opset version. */
  opsets: Record<string, number>
  inputs: OnnxValueSignature[]
  outputs: OnnxValueSignature[]
  /** Distinct operators, sorted, including those inside subgraphs. */
  operators: Array<{ domain: string; opType: string }>
  docString: string
  metadata: Record<string, string>
}

type Long = { toNumber(): number }
const toNumber = (v: number | Long | null | undefined): number =>
  v === null || v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber()

const ELEM_NAMES = new Map<number, string>(
  Object.entries(onnx.TensorProto.DataType as unknown as Record<string, number>).map(
    ([name, code]) => [code, name.toLowerCase()],
  ),
)
const elemName = (code: number | null | undefined) => ELEM_NAMES.get(code ?? 0) ?? `type${code}`

function typeName(type: onnxProto.onnx.ITypeProto | null | undefined): string {
  if (type?.tensorType) return `tensor(${elemName(type.tensorType.elemType)})`
  if (type?.sequenceType) return `seq(${typeName(type.sequenceType.elemType)})`
  if (type?.mapType) {
    const value = typeName(type.mapType.valueType)
    // ZipMap's map values are scalars; the spec writes them as plain `float`.
    const plain = value === 'tensor(float)' ? 'float' : value
    return `map(${elemName(type.mapType.keyType)},${plain})`
  }
  return 'unknown'
}

function signature(value: onnxProto.onnx.IValueInfoProto): OnnxValueSignature {
  const type = typeName(value.type)
  const dims = value.type?.tensorType?.shape?.dim
  const shape = value.type?.tensorType
    ? (dims ?? []).map((d): Dim =>
        d.dimParam ? d.dimParam : d.dimValue != null ? toNumber(d.dimValue) : null,
      )
    : null
  return {
    name: value.name ?? '',
    type,
    shape,
    zipMap: /^seq\(map\((int64|string),float\)\)$/.test(type),
  }
}

function collectNodes(graph: onnxProto.onnx.IGraphProto, into: onnxProto.onnx.INodeProto[]): void {
  refuseExternalData(graph.initializer ?? [])
  for (const node of graph.node ?? []) {
    into.push(node)
    for (const a of node.attribute ?? []) {
      refuseExternalData([...(a.t ? [a.t] : []), ...(a.tensors ?? [])])
      if (a.g) collectNodes(a.g, into)
      for (const g of a.graphs ?? []) collectNodes(g, into)
    }
  }
}

// External data names a file for onnxruntime to open: from an uploaded model, that would read
// paths of the server. Only self-contained files are accepted.
function refuseExternalData(tensors: readonly onnxProto.onnx.ITensorProto[]): void {
  for (const tensor of tensors) {
    if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
      refuse(
        `tensor '${tensor.name ?? ''}' keeps its data in an external file; ` +
          'only self-contained models are accepted (save it with the weights inside)',
      )
    }
  }
}

function refuse(reason: string, cause?: unknown): never {
  throw new InvalidParameterError(`not a usable ONNX model: ${reason}`, { cause })
}

function decode(bytes: Uint8Array): onnxProto.onnx.ModelProto {
  if (bytes.length === 0) refuse('the file is empty')
  // Pickle protocols 2–5 start with PROTO (0x80) and the version; unpickling runs arbitrary code.
  if (bytes[0] === 0x80 && bytes[1] !== undefined && bytes[1] >= 2 && bytes[1] <= 5) {
    refuse('this is a Python pickle file; pickle files are never loaded, export the model to ONNX')
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    refuse('this is a zip archive (e.g. a PyTorch checkpoint, which holds pickles), not ONNX')
  }
  try {
    return onnx.ModelProto.decode(bytes)
  } catch (error) {
    return refuse(`not a protobuf ModelProto (${(error as Error).message})`, error)
  }
}

/**
 * Reads the signature of an ONNX model and checks that Ballast can serve it: a protobuf
 * ModelProto with a graph, operators from onnxruntime's own domains only, and a session that
 * onnxruntime can create. Refusals are INVALID_PARAMETER_VALUE with the reason.
 */
export async function inspectOnnx(bytes: Uint8Array): Promise<OnnxInspection> {
  const model = decode(bytes)
  const graph = model.graph
  if (!graph) refuse('the ModelProto has no graph')
  if ((model.opsetImport ?? []).length === 0) refuse('the ModelProto declares no opset_import')

  const nodes: onnxProto.onnx.INodeProto[] = []
  collectNodes(graph, nodes)
  const localFunctions = new Set(
    (model.functions ?? []).map((f) => `${f.domain ?? ''}:${f.name ?? ''}`),
  )
  const operators = new Map<string, { domain: string; opType: string }>()
  for (const node of nodes) {
    const domain = node.domain ?? ''
    const opType = node.opType ?? ''
    if (!KNOWN_DOMAINS.has(domain) && !localFunctions.has(`${domain}:${opType}`)) {
      refuse(
        `operator '${opType}' of custom domain '${domain}' needs a custom operator library; ` +
          'only ai.onnx, ai.onnx.ml and com.microsoft operators are supported',
      )
    }
    const shown = domain === '' ? 'ai.onnx' : domain
    operators.set(`${shown}:${opType}`, { domain: shown, opType })
  }

  const initializers = new Set((graph.initializer ?? []).map((t) => t.name))
  const inspection: OnnxInspection = {
    irVersion: toNumber(model.irVersion),
    producer: { name: model.producerName ?? '', version: model.producerVersion ?? '' },
    opsets: Object.fromEntries(
      (model.opsetImport ?? []).map((o) => [o.domain ? o.domain : 'ai.onnx', toNumber(o.version)]),
    ),
    // Older exporters list initializers among the inputs; they are weights, not features.
    inputs: (graph.input ?? []).filter((i) => !initializers.has(i.name)).map(signature),
    outputs: (graph.output ?? []).map(signature),
    operators: [...operators.values()].sort(
      (a, b) => a.domain.localeCompare(b.domain) || a.opType.localeCompare(b.opType),
    ),
    docString: model.docString ?? '',
    metadata: Object.fromEntries(
      (model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']),
    ),
  }
  await loadCheck(bytes)
  return inspection
}

async function loadCheck(bytes: Uint8Array): Promise<void> {
  let session: ort.InferenceSession
  try {
    session = await ort.InferenceSession.create(bytes)
  } catch (error) {
    return refuse(`onnxruntime cannot load it: ${(error as Error).message}`, error)
  }
  await session.release()
}
