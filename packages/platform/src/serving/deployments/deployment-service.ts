import {
  AlreadyExistsError,
  AppError,
  type DeploymentAction,
  InvalidParameterError,
  NotFoundError,
} from '@ballast/contracts'
import { appendAudit } from '../../governance/index.js'
import type { RegistryService } from '../../registry/index.js'
import type { MetadataStore } from '../../storage/index.js'
import type { Deployment } from '../serving-types.js'
import {
  type DeploymentEvent,
  type StoredDeployment,
  eventFromRow,
  fromRow,
  toRow,
} from './deployment-record.js'
import { formatModelRef, parseModelRef, validateDeploymentName } from './deployment-ref.js'
import { ServableVersions, type VersionChoice } from './servable-versions.js'

export type { VersionChoice } from './servable-versions.js'

export interface CreateDeploymentInput {
  name: string
  /** `MODEL@ALIAS` (follows the alias) or `MODEL/VERSION` (pinned). */
  model: string
}

export interface CanaryInput {
  version: VersionChoice
  /** Share of requests the canary answers, 0 < percent < 100. */
  percent: number
}

export interface DeploymentServiceOptions {
  /** Epoch milliseconds; tests pin it. */
  now?: () => number
}

export const ALIAS_FOLLOW_ACTOR = 'system:alias-follow'
const DEFAULT_EVENTS = 100

interface Change {
  /** Null deletes the deployment. */
  next: StoredDeployment | null
  detail?: string
}

/** Thrown inside a change's transaction to roll it back (and its revision bump) when idle. */
class Unchanged extends Error {}
const UNCHANGED = Symbol('unchanged')

function notFound(name: string): NotFoundError {
  return new NotFoundError(`Deployment '${name}' not found`)
}

function conflict(message: string): AppError {
  return new AppError('CONFLICT', message)
}

function existing(current: StoredDeployment | null, name: string): StoredDeployment {
  if (current === null) throw notFound(name)
  return current
}

/** The deployment with new primary `version`; a canary or shadow of that version is dropped. */
function withPrimary(d: Deployment, version: number, previous: number | null): Deployment {
  return {
    ...d,
    version,
    previousVersion: previous,
    target: d.target.kind === 'version' ? { kind: 'version', version } : d.target,
    canary: d.canary?.version === version ? null : d.canary,
    shadow: d.shadow?.version === version ? null : d.shadow,
  }
}

/**
 * The control plane of serving: which model version each endpoint serves, with canary, shadow,
 * promote and rollback. Every change is one transaction that bumps the global revision and writes
 * an event (who, when, before and after); the bump comes first, so on PostgreSQL its row lock
 * orders concurrent changes and each reads the state the previous one committed.
 */
export class DeploymentService {
  private readonly now: () => number
  private readonly versions: ServableVersions

  constructor(
    private readonly store: MetadataStore,
    private readonly registry: RegistryService,
    options: DeploymentServiceOptions = {},
  ) {
    this.now = options.now ?? Date.now
    this.versions = new ServableVersions(registry)
  }

  async create(input: CreateDeploymentInput, actor: string): Promise<Deployment> {
    const name = validateDeploymentName(input.name)
    const ref = parseModelRef(input.model)
    const version = await this.versions.resolve(ref, 'model')
    await this.versions.require(ref.model, version, 'model')
    const { after } = await this.change(name, actor, 'create', (current, time) => {
      if (current !== null) throw new AlreadyExistsError(`Deployment '${name}' already exists`)
      return {
        next: {
          deployment: {
            name,
            model: ref.model,
            target:
              ref.kind === 'alias'
                ? { kind: 'alias', alias: ref.alias }
                : { kind: 'version', version },
            version,
            previousVersion: null,
            canary: null,
            shadow: null,
            revision: 0,
            createdBy: actor,
            createdAt: time,
            updatedAt: time,
          },
          aliasVersion: ref.kind === 'alias' ? version : null,
        },
        detail: `serves ${formatModelRef(ref)} (version ${version})`,
      }
    })
    return after as Deployment
  }

  async list(): Promise<Deployment[]> {
    const rows = await this.store.db.selectFrom('deployments').selectAll().orderBy('name').execute()
    return rows.map((row) => fromRow(row).deployment)
  }

  async get(name: string): Promise<Deployment> {
    validateDeploymentName(name)
    const row = await this.store.db
      .selectFrom('deployments')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst()
    if (row === undefined) throw notFound(name)
    return fromRow(row).deployment
  }

  /** The deployment as it was before it was deleted. */
  async delete(name: string, actor: string): Promise<Deployment> {
    validateDeploymentName(name)
    const { before } = await this.change(name, actor, 'delete', (current) => {
      existing(current, name)
      return { next: null }
    })
    return before as Deployment
  }

  /** Sends `percent` of the requests to another version of the model; null ends the canary. */
  async canary(name: string, input: CanaryInput | null, actor: string): Promise<Deployment> {
    if (input === null) {
      return this.update(name, actor, 'canary-off', (d) =>
        d.canary === null ? UNCHANGED : { ...d, canary: null },
      )
    }
    const { percent } = input
    if (
      typeof percent !== 'number' ||
      !Number.isFinite(percent) ||
      percent <= 0 ||
      percent >= 100
    ) {
      throw new InvalidParameterError(
        `Invalid value for parameter 'percent': ${String(percent)}; a canary takes more than 0 ` +
          'and less than 100 percent of the requests',
      )
    }
    const version = await this.versions.choose(name, (await this.get(name)).model, input.version)
    return this.update(name, actor, 'canary', (d) => {
      if (version === d.version) {
        throw new InvalidParameterError(
          `Invalid value for parameter 'version': ${d.model}/${version} is already the primary ` +
            `version of deployment '${name}'`,
        )
      }
      if (d.canary?.version === version && d.canary.percent === percent) return UNCHANGED
      return { ...d, canary: { version, percent } }
    })
  }

  /** Sends a copy of every request to another version, whose answers nobody sees; null ends it. */
  async shadow(
    name: string,
    input: { version: VersionChoice } | null,
    actor: string,
  ): Promise<Deployment> {
    if (input === null) {
      return this.update(name, actor, 'shadow-off', (d) =>
        d.shadow === null ? UNCHANGED : { ...d, shadow: null },
      )
    }
    const version = await this.versions.choose(name, (await this.get(name)).model, input.version)
    return this.update(name, actor, 'shadow', (d) => {
      if (version === d.version) {
        throw new InvalidParameterError(
          `Invalid value for parameter 'version': ${d.model}/${version} is already the primary ` +
            `version of deployment '${name}'`,
        )
      }
      return d.shadow?.version === version ? UNCHANGED : { ...d, shadow: { version } }
    })
  }

  /** The canary becomes the primary version; the old primary is what rollback returns to. */
  async promote(name: string, actor: string): Promise<Deployment> {
    return this.update(name, actor, 'promote', (d) => {
      if (d.canary === null) throw conflict(`Deployment '${name}' has no canary to promote`)
      return withPrimary(d, d.canary.version, d.version)
    })
  }

  /** Serves the previous version again; the version rolled back from becomes the previous one. */
  async rollback(name: string, actor: string): Promise<Deployment> {
    return this.update(name, actor, 'rollback', (d) => {
      if (d.previousVersion === null) {
        throw conflict(`Deployment '${name}' has no previous version to roll back to`)
      }
      return withPrimary(d, d.previousVersion, d.version)
    })
  }

  /** Changes, newest first. A deleted deployment keeps its history. */
  async events(name: string, options: { limit?: number } = {}): Promise<DeploymentEvent[]> {
    validateDeploymentName(name)
    const rows = await this.store.db
      .selectFrom('deployment_events')
      .selectAll()
      .where('deployment', '=', name)
      .orderBy('id', 'desc')
      .limit(options.limit ?? DEFAULT_EVENTS)
      .execute()
    if (rows.length === 0) await this.get(name)
    return rows.map(eventFromRow)
  }

  /** Increases with every change of any deployment: equal means nothing changed. */
  async revision(): Promise<number> {
    const row = await this.store.db
      .selectFrom('deployment_revision')
      .select('revision')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow()
    return Number(row.revision)
  }

  /**
   * Deployments that follow an alias serve the version it points at once it moves. A manual
   * promote or rollback holds until the alias moves again. A version without an ONNX model
   * package is not served: the event says why. Returns the deployments whose version moved.
   */
  async followAliases(actor: string = ALIAS_FOLLOW_ACTOR): Promise<Deployment[]> {
    const rows = await this.store.db
      .selectFrom('deployments')
      .select(['name', 'model', 'target_alias', 'target_version'])
      .where('target_kind', '=', 'alias')
      .execute()
    if (rows.length === 0) return []
    const now = await this.registry.aliases.lookup(
      rows.map((r) => ({ name: r.model, alias: r.target_alias ?? '' })),
    )
    const changed: Deployment[] = []
    for (const row of rows) {
      const version = now.get(`${row.model}@${row.target_alias}`)
      if (version === undefined || version === Number(row.target_version)) continue
      const problem = await this.versions.problem(row.model, version)
      const { after, changed: done } = await this.change(
        row.name,
        actor,
        'alias-follow',
        (current) => {
          const target = current?.deployment.target
          if (current === null || target?.kind !== 'alias') return UNCHANGED
          if (current.aliasVersion === version) return UNCHANGED
          const d = current.deployment
          const alias = `${d.model}@${target.alias}`
          if (problem !== null) {
            return {
              next: { ...current, aliasVersion: version },
              detail: `${alias} moved to version ${version}, which is not served: ${problem}`,
            }
          }
          return {
            next: {
              deployment: version === d.version ? d : withPrimary(d, version, d.version),
              aliasVersion: version,
            },
            detail: `${alias} moved to version ${version}`,
          }
        },
      )
      if (done && problem === null && after !== null) changed.push(after)
    }
    return changed
  }

  /** A change of an existing deployment's state only (not its alias bookkeeping). */
  private async update(
    name: string,
    actor: string,
    action: DeploymentAction,
    decide: (d: Deployment) => Deployment | typeof UNCHANGED,
  ): Promise<Deployment> {
    validateDeploymentName(name)
    const { after } = await this.change(name, actor, action, (current) => {
      const stored = existing(current, name)
      const next = decide(stored.deployment)
      return next === UNCHANGED ? UNCHANGED : { next: { ...stored, deployment: next } }
    })
    return after as Deployment
  }

  /**
   * One transaction: bump the global revision, read the deployment, decide, write it and its
   * event. When nothing is to change, the transaction is rolled back and the current state
   * returned as both before and after.
   */
  private async change(
    name: string,
    actor: string,
    action: DeploymentAction,
    decide: (current: StoredDeployment | null, time: number) => Change | typeof UNCHANGED,
  ): Promise<{ before: Deployment | null; after: Deployment | null; changed: boolean }> {
    const seen: { current: StoredDeployment | null } = { current: null }
    try {
      return await this.store.db.transaction().execute(async (trx) => {
        const bumped = await trx
          .updateTable('deployment_revision')
          .set((eb) => ({ revision: eb('revision', '+', 1) }))
          .where('id', '=', 1)
          .returning('revision')
          .executeTakeFirstOrThrow()
        const revision = Number(bumped.revision)
        const row = await trx
          .selectFrom('deployments')
          .selectAll()
          .where('name', '=', name)
          .executeTakeFirst()
        const current = row === undefined ? null : fromRow(row)
        seen.current = current
        const time = this.now()
        const decided = decide(current, time)
        if (decided === UNCHANGED) throw new Unchanged()
        const before = current?.deployment ?? null
        let after: Deployment | null = null
        if (decided.next === null) {
          await trx.deleteFrom('deployments').where('name', '=', name).execute()
        } else {
          after = { ...decided.next.deployment, revision, updatedAt: time }
          const values = toRow({ deployment: after, aliasVersion: decided.next.aliasVersion })
          if (current === null) await trx.insertInto('deployments').values(values).execute()
          else await trx.updateTable('deployments').set(values).where('name', '=', name).execute()
        }
        await trx
          .insertInto('deployment_events')
          .values({
            deployment: name,
            time,
            actor,
            action,
            revision,
            before: before === null ? null : JSON.stringify(before),
            after: after === null ? null : JSON.stringify(after),
            detail: decided.detail ?? null,
          })
          .execute()
        await appendAudit(trx, {
          actor,
          action: `deployment.${action}`,
          target: `deployment:${name}`,
          before,
          after,
          detail: { revision, reason: decided.detail ?? null },
          time,
        })
        return { before, after, changed: true }
      })
    } catch (error) {
      if (!(error instanceof Unchanged)) throw error
      const state = seen.current?.deployment ?? null
      return { before: state, after: state, changed: false }
    }
  }
}
