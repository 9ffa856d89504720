import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { checkDatasetName, type DatasetVersion } from '../../data/index.js'
import type { StepInputs } from '../../orchestration/index.js'
import type { Services } from '../services.js'
import { type WindowQuery, windowQueryOf, writeLabelledWindow } from './production-window.js'
import { fileDigest, stringInput } from './step-inputs.js'
import type { StepContext } from './step-types.js'

/**
 * The ingest step's `predictions` source: `with: {predictions: {deployment, last, skip_last?},
 * dataset: NAME, label?}`. The labelled window is written to Parquet and ingested as a version of
 * the dataset, so a retraining trains on production data like on any dataset.
 */

export type SourceContext = Pick<StepContext, 'services' | 'actor' | 'log'>

interface SourceInputs {
  query: WindowQuery & { label?: string }
  dataset: string
}

function sourceInputs(inputs: StepInputs, field: string): SourceInputs {
  const query = windowQueryOf(inputs.predictions, `${field}.predictions`)
  const label = stringInput(inputs, 'label', field)
  return {
    query: { ...query, ...(label === undefined ? {} : { label }) },
    dataset: checkDatasetName(stringInput(inputs, 'dataset', field, true), `${field}.dataset`),
  }
}

/** Writes the window to a file in a temporary folder, hands it to `work`, then removes it. */
async function withWindowFile<T>(
  services: Services,
  query: SourceInputs['query'],
  work: (file: string, rows: number) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ballast-window-file-'))
  try {
    // The file's name is what the dataset version records as its source.
    const file = path.join(dir, `${query.deployment}-labelled-predictions.parquet`)
    const written = await writeLabelledWindow(services, query, file)
    return await work(file, written.rows)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function ingestWindow(
  ctx: SourceContext,
  inputs: StepInputs,
  field: string,
): Promise<DatasetVersion> {
  const { query, dataset } = sourceInputs(inputs, field)
  return withWindowFile(ctx.services, query, async (file, rows) => {
    const { version, existing } = await ctx.services.data.ingest({
      name: dataset,
      input: file,
      format: 'parquet',
      actor: { kind: 'system', name: ctx.actor, role: 'admin' },
    })
    ctx.log(
      `${existing ? 'already ingested' : 'ingested'} ${rows} labelled predictions of '${query.deployment}' as ${version.name}@${version.version}`,
    )
    return version
  })
}

/** The source as a function: `{dataset: "NAME@V", digest, rows}`. */
export async function predictionsSource(
  ctx: SourceContext,
  inputs: StepInputs,
): Promise<{ dataset: string; digest: string; rows: number }> {
  const version = await ingestWindow(ctx, inputs, 'with')
  return {
    dataset: `${version.name}@${version.version}`,
    digest: version.digest,
    rows: version.rowCount,
  }
}

/** The source as the ingest step takes its sources (`SOURCES.predictions`). */
export const PREDICTIONS_SOURCE = {
  options: ['dataset', 'label'] as const,
  validate(inputs: StepInputs, field: string): void {
    // Only literal values can be checked before the run resolves references.
    if (JSON.stringify(inputs).includes('${{')) return
    sourceInputs(inputs, field)
  },
  run: ingestWindow,
  /** The window's content: new labels make a new cache key, the same window reuses the version. */
  async digests(services: Services, inputs: StepInputs): Promise<Record<string, string>> {
    const { query } = sourceInputs(inputs, 'with')
    return withWindowFile(services, query, async (file) => ({
      predictions: await fileDigest(file),
    }))
  },
}
