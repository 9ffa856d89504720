import {
  AppError,
  type GetModelVersionResponse,
  InvalidParameterError,
  isAppError,
} from '@ballast/contracts'
import { inspectOnnx, replaceZipMapOutputs } from '../training/index.js'
import type { ArtifactService, ExperimentService, RunService } from '../tracking/index.js'
import { DEFAULT_EXPERIMENT_ID } from '../tracking/index.js'
import { runArtifactRoot } from './model-details.js'
import { MODEL_ARTIFACT_PATH, type ModelClass, packageModel } from './model-package.js'
import type { ModelService } from './model-service.js'
import type { ModelVersionService } from './model-version-service.js'
import type { RegisteredModelService } from './registered-model-service.js'
import { signatureFromOnnx } from './onnx-signature.js'
import { validateModelName } from './validation.js'

export interface ImportModelInput {
  name: string
  /** The ONNX file as it arrives. */
  body: AsyncIterable<Uint8Array>
  /** Experiment name; the default experiment when absent, created when missing. */
  experiment?: string | undefined
  description?: string | undefined
}

export interface ImportDependencies {
  models: RegisteredModelService
  versions: ModelVersionService
  details: ModelService
  runs: RunService
  experiments: ExperimentService
  artifacts: ArtifactService
  maxBytes: number
  /** The setting that holds the limit, named when a file is over it. */
  limitSetting: string
}

async function readLimited(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
  setting: string,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let seen = 0
  for await (const chunk of body) {
    seen += chunk.byteLength
    if (seen > maxBytes) {
      throw new AppError(
        'REQUEST_LIMIT_EXCEEDED',
        `the model file exceeds the upload limit of ${maxBytes} bytes (${setting})`,
      )
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

async function experimentId(deps: ImportDependencies, name: string | undefined): Promise<string> {
  if (name === undefined) return DEFAULT_EXPERIMENT_ID
  try {
    return (await deps.experiments.getByName(name)).experiment_id
  } catch (error) {
    if (!isAppError(error) || error.code !== 'RESOURCE_DOES_NOT_EXIST') throw error
  }
  try {
    return await deps.experiments.create({ name })
  } catch (error) {
    // Another import created it meanwhile.
    if (!isAppError(error) || error.code !== 'RESOURCE_ALREADY_EXISTS') throw error
    return (await deps.experiments.getByName(name)).experiment_id
  }
}

/**
 * Imports an ONNX file trained elsewhere: checks it (pickles, custom operators and non-ONNX files
 * are refused with the reason), rewrites ZipMap outputs into probability tensors, logs it as a
 * model package to a new run `import-<name>`, and registers it as a new version of `name`
 * (the registered model is created when missing).
 */
export async function importModel(
  deps: ImportDependencies,
  input: ImportModelInput,
  actorName: string,
): Promise<GetModelVersionResponse> {
  validateModelName(input.name)
  const original = await readLimited(input.body, deps.maxBytes, deps.limitSetting)
  const inspected = await inspectOnnx(original)
  const zipMap = replaceZipMapOutputs(original)
  const onnx = zipMap.bytes
  const inspection = zipMap.replaced.length === 0 ? inspected : await inspectOnnx(onnx)
  const classes: ModelClass[] | undefined = zipMap.replaced[0]?.classes
  const task = inspection.metadata.task ?? (classes === undefined ? undefined : 'classification')

  const expId = await experimentId(deps, input.experiment)
  const run = await deps.runs.create(
    { experimentId: expId, runName: `import-${input.name}` },
    actorName,
  )
  const runId = run.info.run_id
  const root = runArtifactRoot(run)
  if (root === undefined) {
    throw new InvalidParameterError(
      `experiment ${expId} keeps artifacts outside this server (${run.info.artifact_uri})`,
    )
  }
  const files = packageModel({
    onnx,
    signature: signatureFromOnnx(inspection),
    runId,
    task,
    classes,
    algo: inspection.metadata.algo,
    metadata: inspection.metadata,
  })
  for (const file of files) {
    await deps.artifacts.upload(`${root}/${MODEL_ARTIFACT_PATH}/${file.path}`, file.bytes)
  }
  await deps.runs.update(runId, { status: 'FINISHED', endTime: Date.now() })

  try {
    await deps.models.create({ name: input.name, description: input.description }, actorName)
  } catch (error) {
    if (!isAppError(error) || error.code !== 'RESOURCE_ALREADY_EXISTS') throw error
  }
  const version = await deps.versions.create(
    {
      name: input.name,
      source: `runs:/${runId}/${MODEL_ARTIFACT_PATH}`,
      description: input.description,
    },
    actorName,
    {
      action: 'model.import',
      detail: { zipMapReplaced: zipMap.replaced.length, sizeBytes: original.byteLength },
    },
  )
  return deps.details.show(input.name, version.version)
}
