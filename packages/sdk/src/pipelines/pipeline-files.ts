import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import {
  type IngestDatasetResponse,
  InvalidParameterError,
  parseExpectationSuite,
} from '@ballast/contracts'
import type { HttpClient } from '../http-client.js'
import type { PipelineDefinition, StepDefinition } from './pipeline-definition.js'

export interface StageOptions {
  /**
   * `upload` (default): the server cannot read this machine's files, so each ingest `file` is
   * uploaded as a dataset version and named by version, and suite and policy files are read here
   * and sent inline. `server`: paths are sent as written, naming files on the server (which takes
   * them only from an admin, and only absolute).
   */
  files?: 'upload' | 'server'
  /** Relative paths are read from this folder (default: the working directory). */
  baseDir?: string
  /** Told of each file uploaded as a dataset version. */
  onUpload?: (upload: { step: string; file: string; dataset: string; existing: boolean }) => void
}

const INGEST_FILE_KEYS = ['file', 'dataset', 'format']

const isReference = (value: unknown) => typeof value === 'string' && value.includes('${{')

function fieldError(pipeline: string, field: string, why: string) {
  return new InvalidParameterError(`pipeline '${pipeline}': ${field}: ${why}`)
}

async function readText(pipeline: string, field: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (cause) {
    throw new InvalidParameterError(
      `pipeline '${pipeline}': ${field}: cannot read '${file}': ${(cause as Error).message}`,
      { cause },
    )
  }
}

/** A suite or policy file as JSON: the SDK carries no YAML reader. */
async function readJson(pipeline: string, field: string, file: string): Promise<unknown> {
  const text = await readText(pipeline, field, file)
  try {
    return JSON.parse(text) as unknown
  } catch (cause) {
    throw fieldError(
      pipeline,
      field,
      `'${file}' is not JSON (${(cause as Error).message}); give it inline or as a JSON file`,
    )
  }
}

async function uploadFile(
  http: HttpClient,
  pipeline: string,
  field: string,
  file: string,
  dataset: string,
  format: unknown,
): Promise<IngestDatasetResponse> {
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a regular file')
  } catch (cause) {
    throw fieldError(
      pipeline,
      `${field}.file`,
      `cannot read '${file}': ${(cause as Error).message}`,
    )
  }
  const response = await http.send({
    method: 'POST',
    path: `/api/v1/datasets/${encodeURIComponent(dataset)}/versions`,
    query: { source: path.basename(file), ...(typeof format === 'string' ? { format } : {}) },
    body: () => Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
    contentType: 'application/octet-stream',
    noTimeout: true,
  })
  return (await response.json()) as IngestDatasetResponse
}

async function stageStep(
  http: HttpClient,
  definition: PipelineDefinition,
  step: StepDefinition,
  index: number,
  options: StageOptions,
): Promise<StepDefinition> {
  const field = `steps[${index}].with`
  const at = (p: string) => path.resolve(options.baseDir ?? process.cwd(), p)
  const w = step.with as Record<string, unknown>
  if (step.kind === 'ingest' && typeof w.file === 'string' && !isReference(w.file)) {
    const extra = Object.keys(w).find((key) => !INGEST_FILE_KEYS.includes(key))
    if (extra !== undefined) {
      throw fieldError(
        definition.name,
        `${field}.${extra}`,
        `not an input of an ingest step reading a file (it takes ${INGEST_FILE_KEYS.join(', ')}); filter the file before it is uploaded`,
      )
    }
    if (isReference(w.dataset) || isReference(w.format)) {
      const key = isReference(w.dataset) ? 'dataset' : 'format'
      throw fieldError(
        definition.name,
        `${field}.${key}`,
        'a file is uploaded before the run starts, so its dataset name and format must be written out, not referenced',
      )
    }
    const dataset =
      typeof w.dataset === 'string' ? w.dataset : path.basename(w.file).replace(/\.[^.]*$/, '')
    const file = at(w.file)
    const { version, existing } = await uploadFile(
      http,
      definition.name,
      field,
      file,
      dataset,
      w.format,
    )
    const named = `${version.name}@${version.version}`
    options.onUpload?.({ step: step.name, file, dataset: named, existing })
    return { ...step, with: { dataset: named } }
  }
  if (step.kind === 'validate' && typeof w.suite === 'string' && !isReference(w.suite)) {
    const file = at(w.suite)
    const suite = parseExpectationSuite(
      await readJson(definition.name, `${field}.suite`, file),
      file,
    )
    return { ...step, with: { ...step.with, suite } }
  }
  if (step.kind === 'evaluate' && typeof w.policy === 'string' && !isReference(w.policy)) {
    const policy = await readJson(definition.name, `${field}.policy`, at(w.policy))
    return { ...step, with: { ...step.with, policy } } as StepDefinition
  }
  return step
}

/** The definition as the server should receive it, with this machine's files dealt with. */
export async function stageFiles(
  http: HttpClient,
  definition: PipelineDefinition,
  options: StageOptions = {},
): Promise<PipelineDefinition> {
  if ((options.files ?? 'upload') === 'server') return definition
  const steps: StepDefinition[] = []
  for (const [index, step] of definition.steps.entries()) {
    steps.push(await stageStep(http, definition, step, index, options))
  }
  return { ...definition, steps }
}
