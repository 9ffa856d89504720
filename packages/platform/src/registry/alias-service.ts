import { AppError, NotFoundError, type MlflowModelVersion } from '@ballast/contracts'
import { UNATTRIBUTED_ACTOR, appendAudit } from '../governance/index.js'
import type { MetadataStore } from '../storage/index.js'
import { modelTarget } from './registry-audit.js'
import { requireModel, requireVersion, toModelVersions } from './registry-reader.js'
import { parseVersion, validateAlias, validateModelName } from './validation.js'

export interface SetAliasInput {
  name: string
  alias: string
  version: string
  /** Compare-and-set: move the alias only if it points at this version now. */
  expectedVersion?: string | undefined
}

function aliasNotFound(alias: string): NotFoundError {
  return new NotFoundError(`Registered model alias ${alias} not found.`)
}

/** Aliases (`champion` → version 3). Each move is one transaction; compare-and-set is optional. */
export class AliasService {
  constructor(private readonly store: MetadataStore) {}

  async set(input: SetAliasInput, actorName: string = UNATTRIBUTED_ACTOR): Promise<void> {
    validateModelName(input.name)
    validateAlias(input.alias)
    const version = parseVersion(input.version)
    const expected =
      input.expectedVersion === undefined
        ? undefined
        : parseVersion(input.expectedVersion, 'expected_version')
    const { name, alias } = input
    await this.store.db.transaction().execute(async (trx) => {
      await requireModel(trx, name)
      await requireVersion(trx, name, version)
      const audit = (previous: number | null) =>
        appendAudit(trx, {
          actor: actorName,
          action: 'model.alias.set',
          target: modelTarget(name),
          before: previous === null ? null : { alias, version: previous },
          after: { alias, version },
          detail: { alias, version, previous },
        })
      if (expected === undefined) {
        const current = await trx
          .selectFrom('registered_model_aliases')
          .select('version')
          .where('name', '=', name)
          .where('alias', '=', alias)
          .executeTakeFirst()
        await trx
          .insertInto('registered_model_aliases')
          .values({ name, alias, version })
          .onConflict((oc) =>
            oc
              .columns(['name', 'alias'])
              .doUpdateSet((eb) => ({ version: eb.ref('excluded.version') })),
          )
          .execute()
        await audit(current === undefined ? null : Number(current.version))
        return
      }
      // A conditional update: of two writers expecting the same version, the second finds that
      // the row no longer matches (PostgreSQL re-checks it after the first commits).
      const moved = await trx
        .updateTable('registered_model_aliases')
        .set({ version })
        .where('name', '=', name)
        .where('alias', '=', alias)
        .where('version', '=', expected)
        .executeTakeFirst()
      if (moved.numUpdatedRows === 0n) {
        const current = await trx
          .selectFrom('registered_model_aliases')
          .select('version')
          .where('name', '=', name)
          .where('alias', '=', alias)
          .executeTakeFirst()
        const now =
          current === undefined ? 'is not set' : `points at version ${Number(current.version)}`
        throw new AppError(
          'CONFLICT',
          `Alias '${alias}' of registered model '${name}' ${now}, not version ${expected} ` +
            `as expected_version says; it was not moved`,
        )
      }
      await audit(expected)
    })
  }

  /** Deleting an alias the model does not have is not an error in MLflow. */
  async delete(name: string, alias: string, actorName: string = UNATTRIBUTED_ACTOR): Promise<void> {
    validateModelName(name)
    await this.store.db.transaction().execute(async (trx) => {
      await requireModel(trx, name)
      const deleted = await trx
        .deleteFrom('registered_model_aliases')
        .where('name', '=', name)
        .where('alias', '=', alias)
        .returning('version')
        .executeTakeFirst()
      // Deleting an alias that is not set changes nothing, so nothing is recorded.
      if (deleted === undefined) return
      const previous = Number(deleted.version)
      await appendAudit(trx, {
        actor: actorName,
        action: 'model.alias.delete',
        target: modelTarget(name),
        before: { alias, version: previous },
        detail: { alias, version: null, previous },
      })
    })
  }

  /**
   * Where each alias points now, keyed `name@alias`; aliases that are not set are absent. One
   * query per few hundred models: servers call it on every sync tick.
   */
  async lookup(targets: readonly { name: string; alias: string }[]): Promise<Map<string, number>> {
    const found = new Map<string, number>()
    const wanted = new Set(targets.map((t) => `${t.name}@${t.alias}`))
    const names = [...new Set(targets.map((t) => t.name))]
    for (let i = 0; i < names.length; i += 500) {
      const rows = await this.store.db
        .selectFrom('registered_model_aliases')
        .select(['name', 'alias', 'version'])
        .where('name', 'in', names.slice(i, i + 500))
        .execute()
      for (const row of rows) {
        const key = `${row.name}@${row.alias}`
        if (wanted.has(key)) found.set(key, Number(row.version))
      }
    }
    return found
  }

  async get(name: string, alias: string): Promise<MlflowModelVersion> {
    validateModelName(name)
    await requireModel(this.store.db, name)
    const row = await this.store.db
      .selectFrom('registered_model_aliases')
      .innerJoin('model_versions', (j) =>
        j
          .onRef('model_versions.name', '=', 'registered_model_aliases.name')
          .onRef('model_versions.version', '=', 'registered_model_aliases.version'),
      )
      .selectAll('model_versions')
      .where('registered_model_aliases.name', '=', name)
      .where('registered_model_aliases.alias', '=', alias)
      .executeTakeFirst()
    if (row === undefined) throw aliasNotFound(alias)
    const [version] = await toModelVersions(this.store.db, [row])
    return version as MlflowModelVersion
  }
}
