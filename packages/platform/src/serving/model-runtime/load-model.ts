import { InvalidParameterError } from '@ballast/contracts'
import * as ort from 'onnxruntime-node'
import type { RegistryService } from '../../registry/index.js'
import { replaceZipMapOutputs } from '../../training/index.js'
import type { LoadedModel } from '../serving-types.js'
import { planInputs } from './input-plan.js'
import { OnnxLoadedModel } from './onnx-loaded-model.js'

export interface LoadModelOptions {
  /**
   * Threads onnxruntime uses inside one run. 1 by default: a server answers many requests at
   * once, and one thread per run keeps them from competing for the cores.
   */
  intraOpThreads?: number
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of body) chunks.push(chunk)
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
}

/**
 * Loads a registered model version into onnxruntime: its details (signature, task, classes,
 * input example) and ONNX file from the registry, with ZipMap outputs rewritten into probability
 * tensors (versions registered from MLflow keep their skl2onnx graphs as they are).
 */
export async function loadModel(
  deps: { registry: RegistryService },
  name: string,
  version: number,
  options: LoadModelOptions = {},
): Promise<LoadedModel> {
  const threads = options.intraOpThreads ?? 1
  if (!Number.isInteger(threads) || threads < 1) {
    throw new InvalidParameterError(`intraOpThreads must be a positive integer, got ${threads}`)
  }
  const ref = String(version)
  const { details } = await deps.registry.details.show(name, ref)
  const download = await deps.registry.details.onnx(name, ref)
  const rewritten = replaceZipMapOutputs(await readAll(download.body))
  let session: ort.InferenceSession
  try {
    session = await ort.InferenceSession.create(rewritten.bytes, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Warnings about unused initializers and the like would fill the server log.
      logSeverityLevel: 3,
    })
  } catch (error) {
    throw new InvalidParameterError(
      `model ${name}/${version}: onnxruntime cannot load ${details.onnx_path ?? 'its ONNX file'}: ${(error as Error).message}`,
      { cause: error },
    )
  }
  try {
    const label = `${name}/${version}`
    const zipMapClasses = rewritten.replaced[0]?.classes
    const classes = details.classes ?? zipMapClasses ?? null
    return new OnnxLoadedModel({
      name,
      version,
      session,
      plans: planInputs(label, session.inputMetadata, details.signature),
      columns: (details.signature?.inputs ?? []).map((f) => f.name),
      task: details.task ?? (zipMapClasses === undefined ? null : 'classification'),
      classes,
      inputExample: details.input_example,
    })
  } catch (error) {
    await session.release()
    throw error
  }
}
