import {
  InvalidParameterError,
  type MlflowRun,
  type MlflowRunInfo,
  type MlflowRunStatus,
  type MlflowSearchRunsResponse,
  type MlflowViewType,
} from '@ballast/contracts'
import type { MetadataStore } from '../storage/index.js'
import {
  ACTIVE,
  DELETED,
  requireActiveRun,
  requireActiveStage,
  requireExperiment,
  requireRun,
  runNotFound,
} from './guards.js'
import { newHexId } from './ids.js'
import { type KeyValue, RUN_NAME_TAG, writeTags } from './logging-service.js'
import { generateRunName } from './run-names.js'
import { loadRuns, toRunInfo } from './run-loader.js'
import { searchRuns } from './search/index.js'
import { LIMITS, checkMaxResults, validateTag } from './validation.js'

export interface CreateRunInput {
  /** Defaults to the `Default` experiment, "0". */
  experimentId?: string | undefined
  userId?: string | undefined
  runName?: string | undefined
  startTime?: number | undefined
  tags?: readonly KeyValue[]
}

export interface UpdateRunInput {
  status?: MlflowRunStatus | undefined
  endTime?: number | undefined
  runName?: string | undefined
}

export interface SearchRunsInput {
  experimentIds: string[]
  filter?: string | undefined
  runViewType?: MlflowViewType | undefined
  maxResults?: number | undefined
  orderBy?: string[] | undefined
  pageToken?: string | undefined
}

export const DEFAULT_EXPERIMENT_ID = '0'

/** The artifact root of a run, served by the proxied artifact API. */
export function runArtifactUri(experimentId: number, runId: string): string {
  return `mlflow-artifacts:/${experimentId}/${runId}/artifacts`
}

/** Runs: their life cycle and their info. What is logged to them is the LoggingService's. */
export class RunService {
  constructor(private readonly store: MetadataStore) {}

  /** `actorName` is the user recorded when the request names none. */
  async create(input: CreateRunInput, actorName: string): Promise<MlflowRun> {
    const tags = [...(input.tags ?? [])]
    tags.forEach((t, i) => validateTag(t.key, t.value, `tags[${i}].`))
    const tagName = tags.findLast((t) => t.key === RUN_NAME_TAG)?.value
    const runName = input.runName === '' ? undefined : input.runName
    if (runName !== undefined && tagName !== undefined && runName !== tagName) {
      throw new InvalidParameterError(
        `Both 'run_name' argument and '${RUN_NAME_TAG}' tag are specified, but with different ` +
          `values (run_name='${runName}', ${RUN_NAME_TAG}='${tagName}').`,
      )
    }
    const name = runName ?? tagName ?? generateRunName()
    if (tagName === undefined) tags.push({ key: RUN_NAME_TAG, value: name })
    const runId = newHexId()
    await this.store.db.transaction().execute(async (trx) => {
      const experiment = await requireExperiment(trx, input.experimentId ?? DEFAULT_EXPERIMENT_ID)
      requireActiveStage('experiment', experiment.experiment_id, experiment.lifecycle_stage)
      await trx
        .insertInto('runs')
        .values({
          run_uuid: runId,
          experiment_id: experiment.experiment_id,
          name,
          user_id: input.userId === undefined || input.userId === '' ? actorName : input.userId,
          status: 'RUNNING',
          start_time: input.startTime ?? Date.now(),
          end_time: null,
          lifecycle_stage: ACTIVE,
          artifact_uri: runArtifactUri(experiment.experiment_id, runId),
          deleted_time: null,
        })
        .execute()
      await writeTags(trx, runId, tags)
    })
    return this.get(runId)
  }

  async get(runId: string): Promise<MlflowRun> {
    const [run] = await loadRuns(this.store.db, [runId])
    if (run === undefined) throw runNotFound(runId)
    return run
  }

  /** Status, end time and name; the name is mirrored into the `mlflow.runName` tag. */
  async update(runId: string, input: UpdateRunInput): Promise<MlflowRunInfo> {
    return this.store.db.transaction().execute(async (trx) => {
      await requireActiveRun(trx, runId)
      const changes: { status?: string; end_time?: number } = {}
      if (input.status !== undefined) changes.status = input.status
      if (input.endTime !== undefined) changes.end_time = input.endTime
      if (Object.keys(changes).length > 0) {
        await trx.updateTable('runs').set(changes).where('run_uuid', '=', runId).execute()
      }
      if (input.runName !== undefined && input.runName !== '') {
        validateTag(RUN_NAME_TAG, input.runName, 'run_name.')
        await writeTags(trx, runId, [{ key: RUN_NAME_TAG, value: input.runName }])
      }
      const row = await trx
        .selectFrom('runs')
        .selectAll()
        .where('run_uuid', '=', runId)
        .executeTakeFirstOrThrow()
      return toRunInfo(row)
    })
  }

  /** Soft delete, as MLflow: the run stays readable and can be restored. */
  async delete(runId: string): Promise<void> {
    await this.store.db.transaction().execute(async (trx) => {
      const run = await requireRun(trx, runId)
      if (run.lifecycle_stage === DELETED) return
      await trx
        .updateTable('runs')
        .set({ lifecycle_stage: DELETED, deleted_time: Date.now() })
        .where('run_uuid', '=', runId)
        .execute()
    })
  }

  async restore(runId: string): Promise<void> {
    await this.store.db.transaction().execute(async (trx) => {
      const run = await requireRun(trx, runId)
      requireActiveStage('experiment', run.experiment_id, run.experiment_stage)
      await trx
        .updateTable('runs')
        .set({ lifecycle_stage: ACTIVE, deleted_time: null })
        .where('run_uuid', '=', runId)
        .execute()
    })
  }

  async search(input: SearchRunsInput): Promise<MlflowSearchRunsResponse> {
    checkMaxResults(input.maxResults, LIMITS.searchMaxResults)
    for (const id of input.experimentIds) {
      // Refused rather than matching nothing: a typo should not look like an empty experiment.
      if (!/^\d{1,15}$/.test(id)) {
        throw new InvalidParameterError(
          `Invalid value ${JSON.stringify(id)} for parameter 'experiment_ids': experiment ids are integers`,
        )
      }
    }
    const page = await searchRuns(this.store, {
      experimentIds: input.experimentIds,
      filter: input.filter,
      runViewType: input.runViewType,
      maxResults: input.maxResults,
      orderBy: input.orderBy,
      pageToken: input.pageToken,
    })
    const runs = await loadRuns(this.store.db, page.runIds)
    const out: MlflowSearchRunsResponse = {}
    if (runs.length > 0) out.runs = runs
    if (page.nextPageToken !== undefined) out.next_page_token = page.nextPageToken
    return out
  }
}
