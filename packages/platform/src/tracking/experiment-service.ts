import {
  AlreadyExistsError,
  AppError,
  InvalidParameterError,
  NotFoundError,
  type MlflowExperiment,
  type MlflowSearchExperimentsResponse,
  type MlflowViewType,
} from '@ballast/contracts'
import type { MetadataStore } from '../storage/index.js'
import { loadExperiments } from './experiment-loader.js'
import {
  ACTIVE,
  DELETED,
  experimentNotFound,
  parseExperimentId,
  requireActiveStage,
  requireExperiment,
} from './guards.js'
import { searchExperiments } from './search/index.js'
import {
  LIMITS,
  checkMaxResults,
  validateExperimentName,
  validateExperimentTag,
} from './validation.js'

export interface CreateExperimentInput {
  name: string
  /** Refused when given: Ballast chooses where artifacts live. */
  artifactLocation?: string | undefined
  tags?: readonly { key: string; value: string }[]
}

export interface SearchExperimentsInput {
  filter?: string | undefined
  viewType?: MlflowViewType | undefined
  maxResults?: number | undefined
  orderBy?: string[] | undefined
  pageToken?: string | undefined
}

/** The artifact root of an experiment, served by the proxied artifact API. */
export function experimentArtifactLocation(experimentId: number): string {
  return `mlflow-artifacts:/${experimentId}`
}

/** Experiments, with MLflow's rules: unique names, soft delete that takes the runs along. */
export class ExperimentService {
  constructor(private readonly store: MetadataStore) {}

  async create(input: CreateExperimentInput): Promise<string> {
    validateExperimentName(input.name)
    if (input.artifactLocation !== undefined && input.artifactLocation !== '') {
      // No storage location is ever built from a client-supplied URI.
      throw new InvalidParameterError(
        `Invalid value for parameter 'artifact_location': Ballast stores artifacts itself, ` +
          `under mlflow-artifacts:/<experiment_id>; leave artifact_location unset ` +
          `(got ${JSON.stringify(input.artifactLocation)})`,
      )
    }
    const tags = input.tags ?? []
    tags.forEach((t, i) => validateExperimentTag(t.key, t.value, `tags[${i}].`))
    return this.store.db.transaction().execute(async (trx) => {
      const now = Date.now()
      const created = await trx
        .insertInto('experiments')
        .values({
          name: input.name,
          artifact_location: '',
          lifecycle_stage: ACTIVE,
          creation_time: now,
          last_update_time: now,
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .returning('experiment_id')
        .executeTakeFirst()
      if (created === undefined) {
        throw new AlreadyExistsError(`Experiment(name=${input.name}) already exists.`)
      }
      const id = created.experiment_id
      await trx
        .updateTable('experiments')
        .set({ artifact_location: experimentArtifactLocation(id) })
        .where('experiment_id', '=', id)
        .execute()
      if (tags.length > 0) {
        const unique = new Map(tags.map((t) => [t.key, t.value]))
        await trx
          .insertInto('experiment_tags')
          .values([...unique].map(([key, value]) => ({ experiment_id: id, key, value })))
          .execute()
      }
      return String(id)
    })
  }

  async get(experimentId: string): Promise<MlflowExperiment> {
    const [experiment] = await loadExperiments(this.store.db, [parseExperimentId(experimentId)])
    if (experiment === undefined) throw experimentNotFound(experimentId)
    return experiment
  }

  async getByName(name: string): Promise<MlflowExperiment> {
    const row = await this.store.db
      .selectFrom('experiments')
      .select('experiment_id')
      .where('name', '=', name)
      .executeTakeFirst()
    const [experiment] =
      row === undefined ? [] : await loadExperiments(this.store.db, [row.experiment_id])
    if (experiment === undefined) {
      throw new NotFoundError(`Could not find experiment with name '${name}'`)
    }
    return experiment
  }

  async search(input: SearchExperimentsInput): Promise<MlflowSearchExperimentsResponse> {
    checkMaxResults(input.maxResults, LIMITS.searchMaxResults)
    const page = await searchExperiments(this.store, {
      filter: input.filter,
      viewType: input.viewType,
      maxResults: input.maxResults,
      orderBy: input.orderBy,
      pageToken: input.pageToken,
    })
    const experiments = await loadExperiments(this.store.db, page.experimentIds)
    const out: MlflowSearchExperimentsResponse = {}
    if (experiments.length > 0) out.experiments = experiments
    if (page.nextPageToken !== undefined) out.next_page_token = page.nextPageToken
    return out
  }

  async rename(experimentId: string, newName: string): Promise<void> {
    validateExperimentName(newName, 'new_name')
    await this.store.db.transaction().execute(async (trx) => {
      const experiment = await requireExperiment(trx, experimentId)
      if (experiment.lifecycle_stage !== ACTIVE) {
        throw new AppError(
          'INVALID_STATE',
          `Cannot rename a non-active experiment (id=${experimentId}).`,
        )
      }
      if (experiment.name === newName) return
      const taken = await trx
        .selectFrom('experiments')
        .select('experiment_id')
        .where('name', '=', newName)
        .executeTakeFirst()
      if (taken !== undefined)
        throw new AlreadyExistsError(`Experiment(name=${newName}) already exists.`)
      await trx
        .updateTable('experiments')
        .set({ name: newName, last_update_time: Date.now() })
        .where('experiment_id', '=', experiment.experiment_id)
        .execute()
    })
  }

  /**
   * Marks the experiment and its active runs deleted. The runs get the experiment's deletion time,
   * so that a restore brings back exactly these runs and not those deleted on their own before.
   */
  async delete(experimentId: string): Promise<void> {
    await this.store.db.transaction().execute(async (trx) => {
      const experiment = await requireExperiment(trx, experimentId)
      requireActiveStage('experiment', experimentId, experiment.lifecycle_stage)
      const now = Date.now()
      await trx
        .updateTable('experiments')
        .set({ lifecycle_stage: DELETED, last_update_time: now })
        .where('experiment_id', '=', experiment.experiment_id)
        .execute()
      await trx
        .updateTable('runs')
        .set({ lifecycle_stage: DELETED, deleted_time: now })
        .where('experiment_id', '=', experiment.experiment_id)
        .where('lifecycle_stage', '=', ACTIVE)
        .execute()
    })
  }

  async restore(experimentId: string): Promise<void> {
    await this.store.db.transaction().execute(async (trx) => {
      const experiment = await requireExperiment(trx, experimentId)
      requireActiveStage('experiment', experimentId, experiment.lifecycle_stage, DELETED)
      await trx
        .updateTable('experiments')
        .set({ lifecycle_stage: ACTIVE, last_update_time: Date.now() })
        .where('experiment_id', '=', experiment.experiment_id)
        .execute()
      await trx
        .updateTable('runs')
        .set({ lifecycle_stage: ACTIVE, deleted_time: null })
        .where('experiment_id', '=', experiment.experiment_id)
        .where('lifecycle_stage', '=', DELETED)
        .where('deleted_time', '=', experiment.last_update_time)
        .execute()
    })
  }

  async setTag(experimentId: string, key: string, value: string): Promise<void> {
    validateExperimentTag(key, value, '')
    await this.store.db.transaction().execute(async (trx) => {
      const experiment = await requireExperiment(trx, experimentId)
      requireActiveStage('experiment', experimentId, experiment.lifecycle_stage)
      await trx
        .insertInto('experiment_tags')
        .values({ experiment_id: experiment.experiment_id, key, value })
        .onConflict((oc) =>
          oc
            .columns(['experiment_id', 'key'])
            .doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
        )
        .execute()
    })
  }

  async deleteTag(experimentId: string, key: string): Promise<void> {
    await this.store.db.transaction().execute(async (trx) => {
      const experiment = await requireExperiment(trx, experimentId)
      requireActiveStage('experiment', experimentId, experiment.lifecycle_stage)
      const result = await trx
        .deleteFrom('experiment_tags')
        .where('experiment_id', '=', experiment.experiment_id)
        .where('key', '=', key)
        .executeTakeFirst()
      if (result.numDeletedRows === 0n) {
        throw new NotFoundError(`No tag with name: ${key} in experiment with id ${experimentId}`)
      }
    })
  }
}
