import {
  AlreadyExistsError,
  type MlflowRegisteredModel,
  type MlflowSearchRegisteredModelsResponse,
} from '@ballast/contracts'
import { UNATTRIBUTED_ACTOR, appendAudit } from '../governance/index.js'
import type { MetadataStore } from '../storage/index.js'
import { modelState, modelTarget } from './registry-audit.js'
import { loadRegisteredModels, modelNotFound, requireModel } from './registry-reader.js'
import { searchModelNames } from './registry-search.js'
import { LIMITS, checkMaxResults, validateModelName, validateTag } from './validation.js'

export interface KeyValue {
  key: string
  value: string
}

export interface SearchRegistryInput {
  filter?: string | undefined
  maxResults?: number | undefined
  orderBy?: readonly string[] | undefined
  pageToken?: string | undefined
}

/** Tables that name a registered model; a rename or delete touches each, in one transaction. */
const MODEL_TABLES = [
  'model_version_details',
  'model_version_datasets',
  'registered_model_tags',
  'model_version_tags',
  'registered_model_aliases',
  'model_versions',
  'registered_models',
] as const

/** Registered models: MLflow's create, get, search, rename, update, delete and tags. */
export class RegisteredModelService {
  constructor(private readonly store: MetadataStore) {}

  async create(
    input: { name: string; tags?: readonly KeyValue[]; description?: string | undefined },
    actorName: string,
  ): Promise<MlflowRegisteredModel> {
    validateModelName(input.name)
    const tags = input.tags ?? []
    tags.forEach((t, i) => validateTag(t.key, t.value, `tags[${i}].`))
    await this.store.db.transaction().execute(async (trx) => {
      const now = Date.now()
      const created = await trx
        .insertInto('registered_models')
        .values({
          name: input.name,
          creation_timestamp: now,
          last_updated_timestamp: now,
          description: input.description ?? '',
          user_id: actorName,
          version_count: 0,
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .returning('name')
        .executeTakeFirst()
      if (created === undefined) {
        throw new AlreadyExistsError(`Registered Model (name=${input.name}) already exists.`)
      }
      const unique = new Map(tags.map((t) => [t.key, t.value]))
      if (unique.size > 0) {
        await trx
          .insertInto('registered_model_tags')
          .values([...unique].map(([key, value]) => ({ name: input.name, key, value })))
          .execute()
      }
      await appendAudit(trx, {
        actor: actorName,
        action: 'model.create',
        target: modelTarget(input.name),
        after: { name: input.name, description: input.description ?? '' },
        time: now,
      })
    })
    return this.get(input.name)
  }

  async get(name: string): Promise<MlflowRegisteredModel> {
    validateModelName(name)
    const [model] = await loadRegisteredModels(this.store.db, [name])
    if (model === undefined) throw modelNotFound(name)
    return model
  }

  async search(input: SearchRegistryInput): Promise<MlflowSearchRegisteredModelsResponse> {
    const maxResults = checkMaxResults(
      input.maxResults,
      LIMITS.modelsMaxResults,
      LIMITS.modelsMaxResultsDefault,
    )
    const page = await searchModelNames(this.store, { ...input, maxResults })
    const models = await loadRegisteredModels(this.store.db, page.items)
    const out: MlflowSearchRegisteredModelsResponse = {}
    if (models.length > 0) out.registered_models = models
    if (page.nextPageToken !== undefined) out.next_page_token = page.nextPageToken
    return out
  }

  async rename(
    name: string,
    newName: string,
    actorName: string = UNATTRIBUTED_ACTOR,
  ): Promise<MlflowRegisteredModel> {
    validateModelName(newName, 'new_name')
    await this.store.db.transaction().execute(async (trx) => {
      const before = modelState(await requireModel(trx, name))
      if (newName === name) return
      const taken = await trx
        .selectFrom('registered_models')
        .select('name')
        .where('name', '=', newName)
        .executeTakeFirst()
      if (taken !== undefined) {
        throw new AlreadyExistsError(`Registered Model (name=${newName}) already exists.`)
      }
      for (const table of MODEL_TABLES) {
        await trx.updateTable(table).set({ name: newName }).where('name', '=', name).execute()
      }
      await trx
        .updateTable('registered_models')
        .set({ last_updated_timestamp: Date.now() })
        .where('name', '=', newName)
        .execute()
      await appendAudit(trx, {
        actor: actorName,
        action: 'model.rename',
        target: modelTarget(name),
        before,
        after: { ...before, name: newName },
        detail: { newName },
      })
    })
    return this.get(newName)
  }

  async update(
    name: string,
    description: string | undefined,
    actorName: string = UNATTRIBUTED_ACTOR,
  ): Promise<MlflowRegisteredModel> {
    await this.store.db.transaction().execute(async (trx) => {
      const before = modelState(await requireModel(trx, name))
      await trx
        .updateTable('registered_models')
        .set({ description: description ?? '', last_updated_timestamp: Date.now() })
        .where('name', '=', name)
        .execute()
      await appendAudit(trx, {
        actor: actorName,
        action: 'model.update',
        target: modelTarget(name),
        before,
        after: { ...before, description: description ?? '' },
      })
    })
    return this.get(name)
  }

  /** Deletes the model with all its versions, tags and aliases, as MLflow does. */
  async delete(name: string, actorName: string = UNATTRIBUTED_ACTOR): Promise<void> {
    await this.store.db.transaction().execute(async (trx) => {
      const row = await requireModel(trx, name)
      for (const table of MODEL_TABLES) {
        await trx.deleteFrom(table).where('name', '=', name).execute()
      }
      await appendAudit(trx, {
        actor: actorName,
        action: 'model.delete',
        target: modelTarget(name),
        before: modelState(row),
        detail: { versions: Number(row.version_count) },
      })
    })
  }

  async setTag(name: string, key: string, value: string): Promise<void> {
    validateModelName(name)
    validateTag(key, value)
    await this.store.db.transaction().execute(async (trx) => {
      await requireModel(trx, name)
      await trx
        .insertInto('registered_model_tags')
        .values({ name, key, value })
        .onConflict((oc) =>
          oc.columns(['name', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
        )
        .execute()
    })
  }

  /** Deleting a tag the model does not have is not an error in MLflow. */
  async deleteTag(name: string, key: string): Promise<void> {
    validateModelName(name)
    await this.store.db.transaction().execute(async (trx) => {
      await requireModel(trx, name)
      await trx
        .deleteFrom('registered_model_tags')
        .where('name', '=', name)
        .where('key', '=', key)
        .execute()
    })
  }
}
