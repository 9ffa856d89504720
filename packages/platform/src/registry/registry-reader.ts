import {
  NotFoundError,
  type MlflowModelVersion,
  type MlflowRegisteredModel,
  type ModelVersionStage,
} from '@ballast/contracts'
import type { Kysely, Selectable } from 'kysely'
import type { DatabaseSchema, ModelVersionsTable, RegisteredModelsTable } from '../storage/index.js'

/** Reads registry rows and shapes them as MLflow's entities. */

type Db = Kysely<DatabaseSchema>
export type ModelVersionRow = Selectable<ModelVersionsTable>
export type RegisteredModelRow = Selectable<RegisteredModelsTable>

export function modelNotFound(name: string): NotFoundError {
  return new NotFoundError(`Registered Model with name=${name} not found`)
}

export function versionNotFound(name: string, version: number | string): NotFoundError {
  return new NotFoundError(`Model Version (name=${name}, version=${version}) not found`)
}

export async function requireModel(db: Db, name: string): Promise<RegisteredModelRow> {
  const row = await db
    .selectFrom('registered_models')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst()
  if (row === undefined) throw modelNotFound(name)
  return row
}

export async function requireVersion(
  db: Db,
  name: string,
  version: number,
): Promise<ModelVersionRow> {
  const row = await db
    .selectFrom('model_versions')
    .selectAll()
    .where('name', '=', name)
    .where('version', '=', version)
    .executeTakeFirst()
  if (row === undefined) throw versionNotFound(name, version)
  return row
}

/** Versions as MLflow answers them, with tags and aliases, in the order of `rows`. */
export async function toModelVersions(
  db: Db,
  rows: readonly ModelVersionRow[],
): Promise<MlflowModelVersion[]> {
  if (rows.length === 0) return []
  const names = [...new Set(rows.map((r) => r.name))]
  const [tags, aliases] = await Promise.all([
    inChunks(names, (chunk) =>
      db.selectFrom('model_version_tags').selectAll().where('name', 'in', chunk).execute(),
    ),
    inChunks(names, (chunk) =>
      db
        .selectFrom('registered_model_aliases')
        .selectAll()
        .where('name', 'in', chunk)
        .orderBy('alias')
        .execute(),
    ),
  ])
  const keyOf = (name: string, version: number) => `${name}\u0000${Number(version)}`
  const tagsOf = groupBy(tags, (t) => keyOf(t.name, t.version))
  const aliasesOf = groupBy(aliases, (a) => keyOf(a.name, a.version))
  return rows.map((row) => {
    const key = keyOf(row.name, row.version)
    const out: MlflowModelVersion = {
      name: row.name,
      version: String(Number(row.version)),
      creation_timestamp: Number(row.creation_timestamp),
      last_updated_timestamp: Number(row.last_updated_timestamp),
      user_id: row.user_id,
      current_stage: row.current_stage as ModelVersionStage,
      description: row.description,
      source: row.source,
      run_id: row.run_id,
      status: 'READY',
      run_link: row.run_link,
    }
    const versionTags = tagsOf.get(key)
    if (versionTags !== undefined) {
      out.tags = versionTags
        .map((t) => ({ key: t.key, value: t.value }))
        .sort((a, b) => (a.key < b.key ? -1 : 1))
    }
    const versionAliases = aliasesOf.get(key)
    if (versionAliases !== undefined) out.aliases = versionAliases.map((a) => a.alias)
    return out
  })
}

/** Registered models with tags, aliases and the newest version of each stage, in `names` order. */
export async function loadRegisteredModels(
  db: Db,
  names: readonly string[],
): Promise<MlflowRegisteredModel[]> {
  if (names.length === 0) return []
  const list = [...names]
  const [models, tags, aliases, versions] = await Promise.all([
    db.selectFrom('registered_models').selectAll().where('name', 'in', list).execute(),
    db.selectFrom('registered_model_tags').selectAll().where('name', 'in', list).execute(),
    db
      .selectFrom('registered_model_aliases')
      .selectAll()
      .where('name', 'in', list)
      .orderBy('alias')
      .execute(),
    db
      .selectFrom('model_versions')
      .selectAll()
      .where('name', 'in', list)
      .orderBy('name')
      .orderBy('version')
      .execute(),
  ])
  const latest = new Map<string, ModelVersionRow>()
  for (const v of versions) latest.set(`${v.name}\u0000${v.current_stage}`, v)
  // One read of tags and aliases for every model's newest versions, not one per model.
  const newestRows = [...latest.values()].sort(
    (a, b) =>
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || Number(a.version) - Number(b.version),
  )
  const latestOf = groupBy(await toModelVersions(db, newestRows), (v) => v.name)
  const tagsOf = groupBy(tags, (t) => t.name)
  const aliasesOf = groupBy(aliases, (a) => a.name)
  const byName = new Map(models.map((m) => [m.name, m]))
  const out: MlflowRegisteredModel[] = []
  for (const name of list) {
    const m = byName.get(name)
    if (m === undefined) continue
    const model: MlflowRegisteredModel = {
      name: m.name,
      creation_timestamp: Number(m.creation_timestamp),
      last_updated_timestamp: Number(m.last_updated_timestamp),
      user_id: m.user_id,
    }
    if (m.description !== '') model.description = m.description
    const newest = latestOf.get(name)
    if (newest !== undefined) model.latest_versions = newest
    const modelTags = tagsOf.get(name)
    if (modelTags !== undefined) {
      model.tags = modelTags
        .map((t) => ({ key: t.key, value: t.value }))
        .sort((a, b) => (a.key < b.key ? -1 : 1))
    }
    const modelAliases = aliasesOf.get(name)
    if (modelAliases !== undefined) {
      model.aliases = modelAliases.map((a) => ({
        alias: a.alias,
        version: String(Number(a.version)),
      }))
    }
    out.push(model)
  }
  return out
}

// Well under every backend's limit of bound parameters per statement.
const CHUNK = 500

async function inChunks<T>(
  keys: readonly string[],
  read: (chunk: string[]) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < keys.length; i += CHUNK) out.push(...(await read(keys.slice(i, i + CHUNK))))
  return out
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const list = out.get(key)
    if (list === undefined) out.set(key, [item])
    else list.push(item)
  }
  return out
}
