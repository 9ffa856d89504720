import onnxProto from 'onnx-proto'

const { onnx } = onnxProto

export interface ReplacedZipMap {
  /** The graph output, same name as before, now a float tensor [N, classes]. */
  output: string
  /** The class of each probability column, from the ZipMap's classlabels attribute. */
  classes: number[] | string[]
}

type Long = { toNumber(): number }
const toNumber = (v: number | Long): number => (typeof v === 'number' ? v : v.toNumber())
const decoder = new TextDecoder()

/**
 * Rewrites every graph output computed by a ZipMap (a list of {class: probability} maps, as
 * skl2onnx and onnxmltools write classifiers) into the probability tensor the ZipMap was fed,
 * under the same output name. onnxruntime-node cannot return sequences of maps, and a tensor is
 * what serving and monitoring want; the class order is returned alongside.
 */
export function replaceZipMapOutputs(bytes: Uint8Array): {
  bytes: Uint8Array
  replaced: ReplacedZipMap[]
} {
  const model = onnx.ModelProto.decode(bytes)
  const graph = model.graph
  if (!graph) return { bytes, replaced: [] }
  const outputs = new Map((graph.output ?? []).map((o) => [o.name, o]))
  const replaced: ReplacedZipMap[] = []
  for (const node of graph.node ?? []) {
    const output = node.output?.[0]
    const input = node.input?.[0]
    const info = output === undefined ? undefined : outputs.get(output)
    if (node.opType !== 'ZipMap' || node.domain !== 'ai.onnx.ml' || !info || !input || !output)
      continue
    const attribute = (name: string) => (node.attribute ?? []).find((a) => a.name === name)
    const ints = attribute('classlabels_int64s')?.ints
    const strings = attribute('classlabels_strings')?.strings
    const classes =
      ints && ints.length > 0 ? ints.map(toNumber) : (strings ?? []).map((s) => decoder.decode(s))
    node.opType = 'Identity'
    node.domain = ''
    node.attribute = []
    info.type = {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'N' }, { dimValue: classes.length }] },
      },
    }
    replaced.push({ output, classes })
  }
  if (replaced.length === 0) return { bytes, replaced }
  return { bytes: onnx.ModelProto.encode(model).finish(), replaced }
}
