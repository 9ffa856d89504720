import {
  InvalidParameterError,
  isAppError,
  type MlflowModelVersion,
  type MlflowRun,
  type MlflowSearchModelVersionsResponse,
} from '@ballast/contracts'
import { UNATTRIBUTED_ACTOR, appendAudit } from '../governance/index.js'
import type { MetadataStore } from '../storage/index.js'
import { type ArtifactService, type RunService, runArtifactUri } from '../tracking/index.js'
import { type ModelVersionLineage, lineageOf } from './lineage.js'
import { VERSION_DETAIL_TABLES, readVersionDetails, writeVersionDetails } from './model-details.js'
import { parseModelSource } from './model-source.js'
import { versionState, versionTarget } from './registry-audit.js'
import type { KeyValue, SearchRegistryInput } from './registered-model-service.js'
import { modelNotFound, requireModel, requireVersion, toModelVersions } from './registry-reader.js'
import { searchVersionRows } from './registry-search.js'
import {
  LIMITS,
  canonicalStage,
  checkMaxResults,
  parseVersion,
  validateModelName,
  validateTag,
} from './validation.js'

export interface CreateModelVersionInput {
  name: string
  source: string
  runId?: string | undefined
  tags?: readonly KeyValue[]
  runLink?: string | undefined
  description?: string | undefined
}

/** How a version's creation is recorded when it is part of a larger change (an import). */
export interface VersionAuditOptions {
  action?: string
  detail?: Record<string, unknown>
}

const ACTIVE_STAGES = ['Staging', 'Production']

/** Model versions: numbered per model, made from a run's artifact, with the run's lineage. */
export class ModelVersionService {
  constructor(
    private readonly store: MetadataStore,
    private readonly runs: RunService,
    private readonly artifacts: ArtifactService,
  ) {}

  async create(
    input: CreateModelVersionInput,
    actorName: string,
    audit: VersionAuditOptions = {},
  ): Promise<MlflowModelVersion> {
    validateModelName(input.name)
    const tags = input.tags ?? []
    tags.forEach((t, i) => validateTag(t.key, t.value, `tags[${i}].`))
    const source = parseModelSource(input.source)
    if (input.runId !== undefined && input.runId !== '' && input.runId !== source.runId) {
      throw new InvalidParameterError(
        `Invalid value for parameter 'run_id': '${input.runId}' is not the run of 'source' ` +
          `(${source.runId})`,
      )
    }
    const run = await this.sourceRun(input.source, source.runId)
    if (source.experimentId !== undefined && source.experimentId !== run.info.experiment_id) {
      throw new InvalidParameterError(
        `Invalid value for parameter 'source': ${JSON.stringify(input.source)}; run ` +
          `${source.runId} belongs to experiment ${run.info.experiment_id}, not ${source.experimentId}`,
      )
    }
    const now = Date.now()
    // The snapshot is read before the write: the run's params and metrics as of registration.
    const lineage = lineageOf(run, source.artifactPath, now)
    // Read (and the ONNX file inspected) before the transaction: it may take a while.
    const details = await readVersionDetails(this.artifacts, run, source.artifactPath)
    const version = await this.store.db.transaction().execute(async (trx) => {
      // The row lock of this update orders concurrent creates: each gets the next number.
      const bumped = await trx
        .updateTable('registered_models')
        .set((eb) => ({ version_count: eb('version_count', '+', 1), last_updated_timestamp: now }))
        .where('name', '=', input.name)
        .returning('version_count')
        .executeTakeFirst()
      if (bumped === undefined) throw modelNotFound(input.name)
      const number = Number(bumped.version_count)
      const row = {
        name: input.name,
        version: number,
        creation_timestamp: now,
        last_updated_timestamp: now,
        description: input.description ?? '',
        user_id: actorName,
        current_stage: 'None',
        source: input.source,
        run_id: source.runId,
        run_link: input.runLink ?? '',
        status: 'READY',
        experiment_id: Number(run.info.experiment_id),
        artifact_path: source.artifactPath,
        lineage: JSON.stringify(lineage),
      }
      await trx.insertInto('model_versions').values(row).execute()
      await writeVersionDetails(trx, input.name, number, details, lineage)
      const unique = new Map(tags.map((t) => [t.key, t.value]))
      if (unique.size > 0) {
        await trx
          .insertInto('model_version_tags')
          .values(
            [...unique].map(([key, value]) => ({ name: input.name, version: number, key, value })),
          )
          .execute()
      }
      await appendAudit(trx, {
        actor: actorName,
        action: audit.action ?? 'model.version.create',
        target: versionTarget(input.name, number),
        after: versionState(row),
        detail: { runId: source.runId, ...audit.detail },
        time: now,
      })
      return number
    })
    return this.get(input.name, String(version))
  }

  /** The run named by `source`; a run this server does not have makes `source` invalid. */
  private async sourceRun(sourceText: string, runId: string): Promise<MlflowRun> {
    try {
      return await this.runs.get(runId)
    } catch (cause) {
      if (isAppError(cause) && cause.code === 'RESOURCE_DOES_NOT_EXIST') {
        throw new InvalidParameterError(
          `Invalid value for parameter 'source': ${JSON.stringify(sourceText)}; run ${runId} ` +
            `does not exist on this server`,
          { cause },
        )
      }
      throw cause
    }
  }

  async get(name: string, version: string): Promise<MlflowModelVersion> {
    const row = await requireVersion(this.store.db, name, parseVersion(version))
    const [out] = await toModelVersions(this.store.db, [row])
    return out as MlflowModelVersion
  }

  async lineage(name: string, version: string): Promise<ModelVersionLineage> {
    const row = await requireVersion(this.store.db, name, parseVersion(version))
    return JSON.parse(row.lineage) as ModelVersionLineage
  }

  async search(input: SearchRegistryInput): Promise<MlflowSearchModelVersionsResponse> {
    const maxResults = checkMaxResults(
      input.maxResults,
      LIMITS.versionsMaxResults,
      LIMITS.versionsMaxResultsDefault,
    )
    const page = await searchVersionRows(this.store, { ...input, maxResults })
    const versions = await toModelVersions(this.store.db, page.items)
    const out: MlflowSearchModelVersionsResponse = {}
    if (versions.length > 0) out.model_versions = versions
    if (page.nextPageToken !== undefined) out.next_page_token = page.nextPageToken
    return out
  }

  /** The newest version in each stage asked for (every stage when none is). */
  async latestVersions(name: string, stages?: readonly string[]): Promise<MlflowModelVersion[]> {
    const wanted =
      stages === undefined || stages.length === 0 ? undefined : stages.map(canonicalStage)
    await requireModel(this.store.db, name)
    const rows = await this.store.db
      .selectFrom('model_versions')
      .selectAll()
      .where('name', '=', name)
      .orderBy('version')
      .execute()
    const latest = new Map(rows.map((r) => [r.current_stage, r]))
    const chosen = [...latest.values()]
      .filter((r) => wanted === undefined || wanted.includes(r.current_stage as never))
      .sort((a, b) => Number(a.version) - Number(b.version))
    return toModelVersions(this.store.db, chosen)
  }

  async update(
    name: string,
    version: string,
    description: string | undefined,
    actorName: string = UNATTRIBUTED_ACTOR,
  ): Promise<MlflowModelVersion> {
    const number = parseVersion(version)
    await this.store.db.transaction().execute(async (trx) => {
      const before = versionState(await requireVersion(trx, name, number))
      await trx
        .updateTable('model_versions')
        .set({ description: description ?? '', last_updated_timestamp: Date.now() })
        .where('name', '=', name)
        .where('version', '=', number)
        .execute()
      await appendAudit(trx, {
        actor: actorName,
        action: 'model.version.update',
        target: versionTarget(name, number),
        before,
        after: { ...before, description: description ?? '' },
      })
    })
    return this.get(name, version)
  }

  async transitionStage(
    name: string,
    version: string,
    stage: string,
    archiveExistingVersions: boolean,
    actorName: string = UNATTRIBUTED_ACTOR,
  ): Promise<MlflowModelVersion> {
    const number = parseVersion(version)
    const target = canonicalStage(stage)
    if (archiveExistingVersions && !ACTIVE_STAGES.includes(target)) {
      throw new InvalidParameterError(
        `Model version transition cannot archive existing model versions because '${target}' ` +
          `is not an Active stage. Valid stages are ${ACTIVE_STAGES.join(', ')}`,
      )
    }
    await this.store.db.transaction().execute(async (trx) => {
      const before = versionState(await requireVersion(trx, name, number))
      const now = Date.now()
      let archived: number[] = []
      if (archiveExistingVersions) {
        const rows = await trx
          .updateTable('model_versions')
          .set({ current_stage: 'Archived', last_updated_timestamp: now })
          .where('name', '=', name)
          .where('current_stage', '=', target)
          .where('version', '!=', number)
          .returning('version')
          .execute()
        archived = rows.map((r) => Number(r.version)).sort((a, b) => a - b)
      }
      await trx
        .updateTable('model_versions')
        .set({ current_stage: target, last_updated_timestamp: now })
        .where('name', '=', name)
        .where('version', '=', number)
        .execute()
      await trx
        .updateTable('registered_models')
        .set({ last_updated_timestamp: now })
        .where('name', '=', name)
        .execute()
      await appendAudit(trx, {
        actor: actorName,
        action: 'model.version.stage',
        target: versionTarget(name, number),
        before,
        after: { ...before, stage: target },
        detail: { from: before.stage, to: target, archived },
        time: now,
      })
    })
    return this.get(name, version)
  }

  /** Deletes the version with its tags and the aliases pointing at it. Its number is not reused. */
  async delete(
    name: string,
    version: string,
    actorName: string = UNATTRIBUTED_ACTOR,
  ): Promise<void> {
    const number = parseVersion(version)
    await this.store.db.transaction().execute(async (trx) => {
      const before = versionState(await requireVersion(trx, name, number))
      for (const table of [
        'model_version_tags',
        'registered_model_aliases',
        ...VERSION_DETAIL_TABLES,
      ] as const) {
        await trx.deleteFrom(table).where('name', '=', name).where('version', '=', number).execute()
      }
      await trx
        .deleteFrom('model_versions')
        .where('name', '=', name)
        .where('version', '=', number)
        .execute()
      await trx
        .updateTable('registered_models')
        .set({ last_updated_timestamp: Date.now() })
        .where('name', '=', name)
        .execute()
      await appendAudit(trx, {
        actor: actorName,
        action: 'model.version.delete',
        target: versionTarget(name, number),
        before,
      })
    })
  }

  async setTag(name: string, version: string, key: string, value: string): Promise<void> {
    const number = parseVersion(version)
    validateTag(key, value)
    await this.store.db.transaction().execute(async (trx) => {
      await requireVersion(trx, name, number)
      await trx
        .insertInto('model_version_tags')
        .values({ name, version: number, key, value })
        .onConflict((oc) =>
          oc
            .columns(['name', 'version', 'key'])
            .doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
        )
        .execute()
    })
  }

  /** Deleting a tag the version does not have is not an error in MLflow. */
  async deleteTag(name: string, version: string, key: string): Promise<void> {
    const number = parseVersion(version)
    await this.store.db.transaction().execute(async (trx) => {
      await requireVersion(trx, name, number)
      await trx
        .deleteFrom('model_version_tags')
        .where('name', '=', name)
        .where('version', '=', number)
        .where('key', '=', key)
        .execute()
    })
  }

  /** Where the version's files are served: the run's artifact path under the proxied artifact API. */
  async downloadUri(name: string, version: string): Promise<string> {
    const row = await requireVersion(this.store.db, name, parseVersion(version))
    return `${runArtifactUri(Number(row.experiment_id), row.run_id)}/${row.artifact_path}`
  }
}
