import path from 'node:path'
import { InvalidParameterError } from '@ballast/contracts'
import { checkDatasetName, type DatasetVersion, parseDatasetRef } from '../../data/index.js'
import { systemActor } from '../../governance/index.js'
import type { StepInputs, StepOutputs } from '../../orchestration/index.js'
import type { Services } from '../services.js'
import { PREDICTIONS_SOURCE } from './predictions-source.js'
import { checkKeys, datasetDigest, fileDigest, isReference, stringInput } from './step-inputs.js'
import type { StepContext, StepKind } from './step-types.js'

/**
 * `ingest`: makes a dataset version the next steps read. Each source is one function below; the
 * step's `with` names exactly one source by its key.
 *   file: a CSV, TSV, JSON, NDJSON or Parquet file (resolved when the pipeline is read), ingested
 *         as a new version of `dataset` (when its bytes are new);
 *   dataset: NAME, NAME@VERSION or NAME@latest, passed through as it is.
 *   predictions: {deployment, last, skip_last?}: a deployment's labelled predictions, ingested
 *         as a new version of `dataset` (see predictions-source.ts).
 * Outputs: {dataset: "NAME@VERSION", digest, rows}.
 */

interface IngestSource {
  /** Keys of `with` this source reads besides its own. */
  options: readonly string[]
  validate(inputs: StepInputs, field: string): void
  run(ctx: StepContext, inputs: StepInputs, field: string): Promise<DatasetVersion>
  digests(services: Services, inputs: StepInputs): Promise<Record<string, string>>
}

const FIELD = 'with'

/** The dataset name a file goes into: `dataset` when given, else the file's name without extension. */
function targetName(inputs: StepInputs, field: string): string {
  const given = stringInput(inputs, 'dataset', field)
  const file = stringInput(inputs, 'file', field, true)
  const name = given ?? path.basename(file).replace(/\.[^.]*$/, '')
  if (!isReference(name)) checkDatasetName(name, `${field}.dataset`)
  return name
}

const fileSource: IngestSource = {
  options: ['dataset', 'format', 'where'],
  validate(inputs, field) {
    targetName(inputs, field)
    stringInput(inputs, 'format', field)
    stringInput(inputs, 'where', field)
  },
  async run(ctx, inputs, field) {
    const file = stringInput(inputs, 'file', field, true)
    const format = stringInput(inputs, 'format', field)
    const where = stringInput(inputs, 'where', field)
    const { version, existing } = await ctx.services.data.ingest({
      name: targetName(inputs, field),
      input: file,
      sourceName: path.basename(file),
      ...(format === undefined ? {} : { format }),
      ...(where === undefined ? {} : { where }),
      actor: systemActor(`pipeline:${ctx.pipeline}`),
    })
    ctx.log(
      `${existing ? 'already ingested' : 'ingested'} ${path.basename(file)} as ${version.name}@${version.version}`,
    )
    return version
  },
  async digests(_services, inputs) {
    return { file: await fileDigest(stringInput(inputs, 'file', FIELD, true)) }
  },
}

const datasetSource: IngestSource = {
  options: [],
  validate(inputs, field) {
    const ref = stringInput(inputs, 'dataset', field, true)
    if (!isReference(ref)) parseDatasetRef(ref)
  },
  async run(ctx, inputs, field) {
    const { name, version } = parseDatasetRef(stringInput(inputs, 'dataset', field, true))
    return ctx.services.data.getVersion(name, version)
  },
  async digests(services, inputs) {
    return { dataset: await datasetDigest(services, stringInput(inputs, 'dataset', FIELD, true)) }
  },
}

/** Sources by the key that names them, in the order they are looked for. */
// `predictions` before `dataset`: it names its dataset with the same key.
const SOURCES: Record<string, IngestSource> = {
  file: fileSource,
  predictions: PREDICTIONS_SOURCE,
  dataset: datasetSource,
}

function sourceOf(inputs: StepInputs, field: string): { key: string; source: IngestSource } {
  const key = Object.keys(SOURCES).find((k) => inputs[k] !== undefined)
  if (key === undefined) {
    throw new InvalidParameterError(
      `${field}: an ingest step needs one source: ${Object.keys(SOURCES).join(' or ')}`,
    )
  }
  return { key, source: SOURCES[key]! }
}

export const ingestStep: StepKind = {
  kind: 'ingest',
  fileInputs: ['file'],
  validate(inputs, field) {
    const { key, source } = sourceOf(inputs, field)
    checkKeys(inputs, [key, ...source.options], field)
    source.validate(inputs, field)
  },
  async run(ctx, inputs): Promise<StepOutputs> {
    const { source } = sourceOf(inputs, FIELD)
    const version = await source.run(ctx, inputs, FIELD)
    return {
      dataset: `${version.name}@${version.version}`,
      digest: version.digest,
      rows: version.rowCount,
    }
  },
  inputDigests(services, inputs) {
    return sourceOf(inputs, FIELD).source.digests(services, inputs)
  },
}
