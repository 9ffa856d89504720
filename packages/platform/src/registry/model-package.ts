import { randomUUID } from 'node:crypto'
import {
  InvalidParameterError,
  ModelSignature,
  type SignatureField,
  SIGNATURE_TYPES,
} from '@ballast/contracts'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import { z } from 'zod'

/**
 * A model package: what a run logs under `model/` — `MLmodel` (MLflow's YAML description, so that
 * MLflow's tools read it), `model.onnx` and `input_example.json` (pandas' split orient).
 */

export const MLMODEL_FILE = 'MLmodel'
export const ONNX_FILE = 'model.onnx'
export const INPUT_EXAMPLE_FILE = 'input_example.json'
/** The folder of a run's artifacts a model is logged to. */
export const MODEL_ARTIFACT_PATH = 'model'
/**
 * MLflow records the onnx Python package that wrote the file. Ballast has none, so it names the
 * onnx release whose IR version and opsets (IR 8, opset 17) its exporter writes.
 */
const ONNX_VERSION = '1.12.0'

export interface PackageFile {
  path: string
  bytes: Uint8Array
}

export type ModelClass = string | number

export interface PackageModelInput {
  onnx: Uint8Array
  signature: ModelSignature
  inputExample?: Record<string, unknown>[] | undefined
  runId: string
  task?: string | undefined
  classes?: readonly ModelClass[] | undefined
  target?: string | undefined
  algo?: string | undefined
  metadata?: Record<string, string> | undefined
  /** Defaults to now; fixed in tests. */
  createdAt?: Date
}

export interface ModelPackage {
  artifactPath: string
  runId: string | null
  modelUuid: string | null
  utcTimeCreated: string | null
  flavors: Record<string, Record<string, unknown>>
  /** The ONNX file named by the onnx flavor, relative to the package. */
  onnxFile: string | null
  signature: ModelSignature | null
  /** The input example file MLmodel names, relative to the package. */
  inputExampleFile: string | null
  /** Null when the package has no example, or `files` did not include it. */
  inputExample: Record<string, unknown>[] | null
  task: string | null
  classes: ModelClass[] | null
  target: string | null
  algo: string | null
  metadata: Record<string, string>
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** MLflow's column spec or tensor spec, as it writes them in `signature.inputs`. */
function toMlflowSpec(field: SignatureField): Record<string, unknown> {
  if (field.type === 'tensor') {
    const spec = field.tensorSpec ?? { dtype: 'float32', shape: [-1] }
    return {
      type: 'tensor',
      'tensor-spec': { dtype: spec.dtype, shape: spec.shape },
      name: field.name,
    }
  }
  return { type: field.type, name: field.name, required: field.required ?? true }
}

const MlflowSpec = z.union([
  z.object({
    type: z.literal('tensor'),
    'tensor-spec': z.object({ dtype: z.string(), shape: z.array(z.number().int()) }),
    name: z.string().optional(),
  }),
  z.object({
    type: z.enum(SIGNATURE_TYPES),
    name: z.string().optional(),
    required: z.boolean().optional(),
  }),
])

function fromMlflowSpecs(text: string | null | undefined, field: string): SignatureField[] {
  if (text === null || text === undefined || text === '') return []
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (cause) {
    throw new InvalidParameterError(`${MLMODEL_FILE}: ${field} is not JSON`, { cause })
  }
  const parsed = z.array(MlflowSpec).safeParse(raw)
  if (!parsed.success) {
    throw new InvalidParameterError(
      `${MLMODEL_FILE}: ${field} is not an MLflow signature: ${parsed.error.issues[0]?.message ?? ''}`,
    )
  }
  return parsed.data.map((spec, i) => {
    const name = spec.name ?? `${i}`
    if ('tensor-spec' in spec)
      return { name, type: 'tensor' as const, tensorSpec: spec['tensor-spec'] }
    return { name, type: spec.type, required: spec.required ?? true }
  })
}

/** Records → pandas' split orient: columns in order of first appearance, null where missing. */
export function toSplitOrient(records: readonly Record<string, unknown>[]): {
  columns: string[]
  data: unknown[][]
} {
  const columns: string[] = []
  const seen = new Set<string>()
  for (const record of records) {
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key)
        columns.push(key)
      }
    }
  }
  return { columns, data: records.map((r) => columns.map((c) => r[c] ?? null)) }
}

const SplitOrient = z.object({
  columns: z.array(z.string()),
  data: z.array(z.array(z.unknown())),
})

function fromSplitOrient(text: string): Record<string, unknown>[] {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (cause) {
    throw new InvalidParameterError(`${INPUT_EXAMPLE_FILE} is not JSON`, { cause })
  }
  const parsed = SplitOrient.safeParse(raw)
  if (!parsed.success) {
    throw new InvalidParameterError(
      `${INPUT_EXAMPLE_FILE} is not in pandas' split orient ({"columns": […], "data": [[…]]})`,
    )
  }
  const { columns, data } = parsed.data
  return data.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null])))
}

/** `2026-11-26 02:57:11.123000`, as MLflow writes utc_time_created. */
function mlflowUtc(date: Date): string {
  return `${date.toISOString().slice(0, 23).replace('T', ' ')}000`
}

/** The files of a model package, each path relative to the package's folder. */
export function packageModel(input: PackageModelInput): PackageFile[] {
  const signature = ModelSignature.parse(input.signature)
  const mlmodel: Record<string, unknown> = {
    artifact_path: MODEL_ARTIFACT_PATH,
    flavors: { onnx: { onnx_version: ONNX_VERSION, data: ONNX_FILE } },
    model_uuid: randomUUID().replaceAll('-', ''),
    run_id: input.runId,
    utc_time_created: mlflowUtc(input.createdAt ?? new Date()),
    signature: {
      inputs: JSON.stringify(signature.inputs.map(toMlflowSpec)),
      outputs: JSON.stringify(signature.outputs.map(toMlflowSpec)),
      params: null,
    },
  }
  const files: PackageFile[] = [{ path: ONNX_FILE, bytes: input.onnx }]
  if (input.inputExample !== undefined && input.inputExample.length > 0) {
    mlmodel.saved_input_example_info = {
      artifact_path: INPUT_EXAMPLE_FILE,
      type: 'dataframe',
      pandas_orient: 'split',
    }
    files.push({
      path: INPUT_EXAMPLE_FILE,
      bytes: encoder.encode(JSON.stringify(toSplitOrient(input.inputExample))),
    })
  }
  const ballast: Record<string, unknown> = {}
  if (input.task !== undefined) ballast.task = input.task
  if (input.classes !== undefined) ballast.classes = [...input.classes]
  if (input.target !== undefined) ballast.target = input.target
  if (input.algo !== undefined) ballast.algo = input.algo
  if (input.metadata !== undefined && Object.keys(input.metadata).length > 0) {
    ballast.metadata = input.metadata
  }
  if (Object.keys(ballast).length > 0) mlmodel.ballast = ballast
  files.unshift({ path: MLMODEL_FILE, bytes: encoder.encode(stringifyYaml(mlmodel)) })
  return files
}

const MlmodelSchema = z.object({
  artifact_path: z.string().optional(),
  flavors: z.record(z.string(), z.record(z.string(), z.unknown())),
  run_id: z.string().nullish(),
  model_uuid: z.string().nullish(),
  utc_time_created: z.string().nullish(),
  signature: z
    .object({ inputs: z.string().nullish(), outputs: z.string().nullish() })
    .passthrough()
    .nullish(),
  saved_input_example_info: z.object({ artifact_path: z.string() }).passthrough().nullish(),
  ballast: z
    .object({
      task: z.string().optional(),
      classes: z.array(z.union([z.string(), z.number()])).optional(),
      target: z.string().optional(),
      algo: z.string().optional(),
      metadata: z.record(z.string(), z.string()).optional(),
    })
    .nullish(),
})

/** Reads `MLmodel` (its text); the input example comes from `files` when the package has it. */
export function readModelPackage(files: readonly PackageFile[]): ModelPackage {
  const byPath = new Map(files.map((f) => [f.path, f.bytes]))
  const mlmodelBytes = byPath.get(MLMODEL_FILE)
  if (mlmodelBytes === undefined) {
    throw new InvalidParameterError(`the model package has no ${MLMODEL_FILE} file`)
  }
  let raw: unknown
  try {
    raw = parseYaml(decoder.decode(mlmodelBytes))
  } catch (cause) {
    throw new InvalidParameterError(`${MLMODEL_FILE} is not YAML: ${(cause as Error).message}`, {
      cause,
    })
  }
  const parsed = MlmodelSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new InvalidParameterError(
      `${MLMODEL_FILE}: invalid ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`,
    )
  }
  const m = parsed.data
  const onnxData = m.flavors.onnx?.data
  const signature =
    m.signature === null || m.signature === undefined
      ? null
      : {
          inputs: fromMlflowSpecs(m.signature.inputs, 'signature.inputs'),
          outputs: fromMlflowSpecs(m.signature.outputs, 'signature.outputs'),
        }
  const examplePath = m.saved_input_example_info?.artifact_path
  const exampleBytes = examplePath === undefined ? undefined : byPath.get(examplePath)
  return {
    artifactPath: m.artifact_path ?? MODEL_ARTIFACT_PATH,
    runId: m.run_id ?? null,
    modelUuid: m.model_uuid ?? null,
    utcTimeCreated: m.utc_time_created ?? null,
    flavors: m.flavors,
    onnxFile: typeof onnxData === 'string' ? onnxData : null,
    signature,
    inputExampleFile: examplePath ?? null,
    inputExample: exampleBytes === undefined ? null : fromSplitOrient(decoder.decode(exampleBytes)),
    task: m.ballast?.task ?? null,
    classes: m.ballast?.classes ?? null,
    target: m.ballast?.target ?? null,
    algo: m.ballast?.algo ?? null,
    metadata: m.ballast?.metadata ?? {},
  }
}
