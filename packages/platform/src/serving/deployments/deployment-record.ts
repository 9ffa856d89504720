import type { DeploymentAction } from '@ballast/contracts'
import type { Selectable } from 'kysely'
import type { DeploymentEventsTable, DeploymentsTable } from '../../storage/index.js'
import type { Deployment } from '../serving-types.js'

/** A deployment as stored: what it serves, and the version its alias pointed at when last seen. */
export interface StoredDeployment {
  deployment: Deployment
  /** Alias targets: the alias's version when last looked at; a move is a change from this. */
  aliasVersion: number | null
}

/** One change of a deployment, with the deployment before and after it. */
export interface DeploymentEvent {
  id: number
  deployment: string
  time: number
  actor: string
  action: DeploymentAction
  revision: number
  before: Deployment | null
  after: Deployment | null
  detail: string | null
}

const num = (value: number | null): number | null => (value === null ? null : Number(value))

export function fromRow(row: Selectable<DeploymentsTable>): StoredDeployment {
  const deployment: Deployment = {
    name: row.name,
    model: row.model,
    target:
      row.target_kind === 'alias'
        ? { kind: 'alias', alias: row.target_alias ?? '' }
        : { kind: 'version', version: Number(row.target_version) },
    version: Number(row.version),
    previousVersion: num(row.previous_version),
    canary:
      row.canary_version === null
        ? null
        : { version: Number(row.canary_version), percent: Number(row.canary_percent) },
    shadow: row.shadow_version === null ? null : { version: Number(row.shadow_version) },
    revision: Number(row.revision),
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  }
  return {
    deployment,
    aliasVersion: row.target_kind === 'alias' ? num(row.target_version) : null,
  }
}

export function toRow(stored: StoredDeployment): Selectable<DeploymentsTable> {
  const d = stored.deployment
  return {
    name: d.name,
    model: d.model,
    target_kind: d.target.kind,
    target_alias: d.target.kind === 'alias' ? d.target.alias : null,
    target_version: d.target.kind === 'version' ? d.target.version : stored.aliasVersion,
    version: d.version,
    previous_version: d.previousVersion,
    canary_version: d.canary?.version ?? null,
    canary_percent: d.canary?.percent ?? null,
    shadow_version: d.shadow?.version ?? null,
    revision: d.revision,
    created_by: d.createdBy,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  }
}

export function eventFromRow(row: Selectable<DeploymentEventsTable>): DeploymentEvent {
  return {
    id: Number(row.id),
    deployment: row.deployment,
    time: Number(row.time),
    actor: row.actor,
    action: row.action as DeploymentAction,
    revision: Number(row.revision),
    before: row.before === null ? null : (JSON.parse(row.before) as Deployment),
    after: row.after === null ? null : (JSON.parse(row.after) as Deployment),
    detail: row.detail,
  }
}
