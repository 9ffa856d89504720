import {
  InvalidParameterError,
  type GetModelVersionResponse,
  type MlflowModelVersion,
  type ModelCard,
  type ModelLineageWire,
  type ModelVersionWire,
} from '@ballast/contracts'
import type { MetadataStore } from '../storage/index.js'
import type { ArtifactService } from '../tracking/index.js'
import { runArtifactUri } from '../tracking/index.js'
import type { ModelVersionLineage } from './lineage.js'
import { buildModelCard } from './model-card.js'
import { detailsToWire, loadVersionDetails } from './model-details.js'
import type { RegisteredModelService } from './registered-model-service.js'
import { requireVersion, toModelVersions, versionNotFound } from './registry-reader.js'
import { parseVersion, validateAlias, validateModelName } from './validation.js'

/** Rows of a Ballast dataset version, or null when unknown (not a Ballast dataset, deleted). */
export type DatasetRowsLookup = (name: string, version: number) => Promise<number | null>

export interface OnnxDownload {
  filename: string
  size: number
  sha256: string
  body: ReadableStream<Uint8Array>
}

const BALLAST_SOURCE = /^ballast:(.+)@(\d+)$/

export function lineageToWire(l: ModelVersionLineage): ModelLineageWire {
  return {
    run_id: l.runId,
    experiment_id: l.experimentId,
    run_name: l.runName,
    artifact_path: l.artifactPath,
    datasets: l.datasets.map((d) => {
      const named = BALLAST_SOURCE.exec(d.source)
      return {
        name: d.name,
        version: named === null ? null : Number(named[2]),
        digest: d.digest,
        source: d.source,
        context: d.context ?? null,
      }
    }),
    params: l.params,
    metrics: l.metrics,
    git_commit: l.gitCommit ?? null,
    registered_at: l.registeredAt,
  }
}

function versionToWire(v: MlflowModelVersion): ModelVersionWire {
  return {
    name: v.name,
    version: Number(v.version),
    aliases: v.aliases ?? [],
    stage: v.current_stage ?? 'None',
    description: v.description ?? '',
    source: v.source ?? '',
    run_id: v.run_id ?? '',
    created_by: v.user_id ?? '',
    created_at: v.creation_timestamp ?? 0,
    updated_at: v.last_updated_timestamp ?? 0,
    tags: Object.fromEntries((v.tags ?? []).map((t) => [t.key, t.value])),
  }
}

/** Ballast's own view of model versions: details, lineage, card and the ONNX file. */
export class ModelService {
  constructor(
    private readonly store: MetadataStore,
    private readonly models: RegisteredModelService,
    private readonly artifacts: ArtifactService,
    private readonly datasetRows: DatasetRowsLookup,
  ) {}

  /** `3`, `@champion` or `latest` (the highest version number) → the version number. */
  async resolve(name: string, ref: string): Promise<number> {
    validateModelName(name)
    const db = this.store.db
    if (ref === 'latest') {
      await this.models.get(name)
      const row = await db
        .selectFrom('model_versions')
        .select('version')
        .where('name', '=', name)
        .orderBy('version', 'desc')
        .executeTakeFirst()
      if (row === undefined) throw versionNotFound(name, 'latest')
      return Number(row.version)
    }
    if (ref.startsWith('@')) {
      const alias = ref.slice(1)
      validateAlias(alias)
      await this.models.get(name)
      const row = await db
        .selectFrom('registered_model_aliases')
        .select('version')
        .where('name', '=', name)
        .where('alias', '=', alias)
        .executeTakeFirst()
      if (row === undefined) throw versionNotFound(name, ref)
      return Number(row.version)
    }
    if (!/^\d+$/.test(ref)) {
      throw new InvalidParameterError(
        `Invalid value for parameter 'ref': '${ref}'; expected a version number, @alias or latest`,
      )
    }
    return parseVersion(ref, 'ref')
  }

  async show(name: string, ref: string): Promise<GetModelVersionResponse> {
    const number = await this.resolve(name, ref)
    const row = await requireVersion(this.store.db, name, number)
    const [version] = await toModelVersions(this.store.db, [row])
    const details = await loadVersionDetails(this.store.db, name, number)
    return {
      version: versionToWire(version as MlflowModelVersion),
      details: detailsToWire(details),
      lineage: lineageToWire(JSON.parse(row.lineage) as ModelVersionLineage),
    }
  }

  async lineage(name: string, ref: string): Promise<ModelLineageWire> {
    const number = await this.resolve(name, ref)
    const row = await requireVersion(this.store.db, name, number)
    return lineageToWire(JSON.parse(row.lineage) as ModelVersionLineage)
  }

  async card(name: string, ref: string): Promise<ModelCard> {
    const shown = await this.show(name, ref)
    const model = await this.models.get(name)
    const rows = new Map<string, number>()
    for (const d of shown.lineage.datasets) {
      if (d.version === null) continue
      const count = await this.datasetRows(d.name, d.version)
      if (count !== null) rows.set(`${d.name}@${d.version}`, count)
    }
    const details = await loadVersionDetails(this.store.db, name, shown.version.version)
    return buildModelCard({
      name,
      version: shown.version.version,
      aliases: shown.version.aliases,
      createdAt: shown.version.created_at,
      createdBy: shown.version.created_by,
      runId: shown.version.run_id,
      modelDescription: model.description ?? '',
      modelTags: Object.fromEntries((model.tags ?? []).map((t) => [t.key, t.value])),
      details,
      lineage: shown.lineage,
      datasetRows: rows,
    })
  }

  /** The version's ONNX file, streamed from the run's artifacts. */
  async onnx(name: string, ref: string): Promise<OnnxDownload> {
    const number = await this.resolve(name, ref)
    const row = await requireVersion(this.store.db, name, number)
    const details = await loadVersionDetails(this.store.db, name, number)
    if (details.onnxPath === null || details.onnxSha256 === null) {
      throw new InvalidParameterError(
        `Model version ${name}/${number} has no ONNX file: it was registered without an ONNX ` +
          'model package (MLmodel with the onnx flavor)',
      )
    }
    const root = runArtifactUri(Number(row.experiment_id), row.run_id).replace(
      /^mlflow-artifacts:\//,
      '',
    )
    const download = await this.artifacts.download(`${root}/${details.onnxPath}`)
    return {
      filename: `${name}-v${number}.onnx`,
      size: download.size,
      sha256: details.onnxSha256,
      body: download.body,
    }
  }
}
