import { datasetInputDigest } from '@ballast/contracts'
import type { ArtifactStore } from '../artifacts/artifact-store.js'
import { type MetadataStore, presentValues } from '../storage/index.js'
import { type DatasetHead, datasetHead } from './dataset-head.js'
import { runsByDigest } from './dataset-lineage.js'
import { type DatasetColumns, readDatasetColumns } from './dataset-read.js'
import { DatasetRepository } from './dataset-repository.js'
import type { DatasetRun, DatasetVersion, ManagedDataset } from './dataset-version.js'
import { DuckEngine } from './duckdb/duck-engine.js'
import { type IngestRequest, type IngestResult, ingestDataset } from './ingest-service.js'

/** The default ingest limit: the configuration's default for streamed uploads, 5 GiB. */
export const DEFAULT_MAX_INGEST_BYTES = 5 * 1024 * 1024 * 1024

export interface DataDependencies {
  store: MetadataStore
  artifacts: ArtifactStore
  /** Largest file ingested (default 5 GiB). */
  maxIngestBytes?: number
  /** The setting that holds the limit, named when a file is over it. */
  limitSetting?: string
}

export interface DatasetWithRuns {
  dataset: ManagedDataset
  /** Newest first, each with the runs that logged it and the model versions made from them. */
  versions: Array<DatasetVersion & { runs: DatasetRun[]; models: DatasetModel[] }>
}

export interface DataService {
  ingest(request: IngestRequest): Promise<IngestResult>
  listDatasets(): Promise<ManagedDataset[]>
  /** The dataset with its versions and their lineage. */
  getDataset(name: string): Promise<DatasetWithRuns>
  listVersions(name: string): Promise<DatasetVersion[]>
  getVersion(name: string, version: number | 'latest'): Promise<DatasetVersion>
  head(name: string, version: number | 'latest', n: number): Promise<DatasetHead>
  /** The named columns (all by default) of a version, typed for computation. */
  readColumns(
    name: string,
    version: number | 'latest',
    columns?: readonly string[],
  ): Promise<DatasetColumns & { version: DatasetVersion }>
  /** Which of these blobs hold a dataset version. */
  referencedBlobs(digests: readonly string[]): Promise<Set<string>>
  /** Closes the DuckDB engine, when one was opened. */
  close(): Promise<void>
}

/** A registered model version trained or evaluated on a dataset version. */
export interface DatasetModel {
  name: string
  version: number
}

/**
 * The model versions whose lineage names one of `digests`, from the registry's
 * model_version_datasets (keyed by the digest runs log, cut as `datasetInputDigest` cuts it).
 */
async function modelsByDigest(
  store: MetadataStore,
  digests: readonly string[],
): Promise<Map<string, DatasetModel[]>> {
  const out = new Map<string, DatasetModel[]>()
  if (digests.length === 0) return out
  const byInputDigest = new Map(digests.map((d) => [datasetInputDigest(d), d]))
  const rows = await store.db
    .selectFrom('model_version_datasets')
    .select(['digest', 'name', 'version'])
    .distinct()
    .where('digest', 'in', [...byInputDigest.keys()])
    .orderBy('name')
    .orderBy('version')
    .execute()
  for (const row of rows) {
    const digest = byInputDigest.get(row.digest) as string
    const list = out.get(digest) ?? []
    list.push({ name: row.name, version: Number(row.version) })
    out.set(digest, list)
  }
  return out
}

/** Datasets: ingestion, versions, lineage and reads. DuckDB opens on first use. */
export function createDataService(deps: DataDependencies): DataService {
  const repository = new DatasetRepository(deps.store)
  let engine: Promise<DuckEngine> | undefined
  const openEngine = () => (engine ??= DuckEngine.open())
  const ingestDeps = {
    repository,
    artifacts: deps.artifacts,
    engine: openEngine,
    maxBytes: deps.maxIngestBytes ?? DEFAULT_MAX_INGEST_BYTES,
    limitSetting: deps.limitSetting ?? 'server.artifactBodyLimitBytes',
  }
  return {
    ingest: (request) => ingestDataset(ingestDeps, request),
    listDatasets: () => repository.listDatasets(),
    async getDataset(name) {
      const dataset = await repository.getDataset(name)
      const versions = await repository.listVersions(name)
      const runs = await runsByDigest(
        deps.store,
        versions.map((v) => v.digest),
      )
      const models = await modelsByDigest(
        deps.store,
        versions.map((v) => v.digest),
      )
      return {
        dataset,
        versions: versions.map((v) => ({
          ...v,
          runs: runs.get(v.digest) ?? [],
          models: models.get(v.digest) ?? [],
        })),
      }
    },
    listVersions: (name) => repository.listVersions(name),
    referencedBlobs: (digests) =>
      presentValues(deps.store, 'dataset_versions', 'blob_digest', digests),
    getVersion: (name, version) => repository.getVersion(name, version),
    async readColumns(name, version, columns) {
      const found = await repository.getVersion(name, version)
      const read = await readDatasetColumns(await openEngine(), deps.artifacts, found, columns)
      return { ...read, version: found }
    },
    async head(name, version, n) {
      const found = await repository.getVersion(name, version)
      return datasetHead(await openEngine(), deps.artifacts, found, n)
    },
    async close() {
      const opened = engine
      engine = undefined
      if (opened !== undefined) (await opened).close()
    },
  }
}
