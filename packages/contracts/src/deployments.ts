import { z } from 'zod'

/**
 * The deployments API (`/api/v1/deployments`): what each endpoint serves (a primary model
 * version, optionally a canary taking a share of the traffic and a shadow answering in the
 * background), and every change made to it. Times are epoch milliseconds.
 */

export const DeploymentTargetWire = z.discriminatedUnion('kind', [
  /** Follows the alias: when it moves, the deployment serves the version it points at. */
  z.object({ kind: z.literal('alias'), alias: z.string() }),
  z.object({ kind: z.literal('version'), version: z.number().int().positive() }),
])
export type DeploymentTargetWire = z.output<typeof DeploymentTargetWire>

export const DeploymentWire = z.object({
  name: z.string(),
  model: z.string(),
  target: DeploymentTargetWire,
  version: z.number().int().positive(),
  /** What `rollback` returns to. */
  previous_version: z.number().int().positive().nullable(),
  canary: z.object({ version: z.number().int().positive(), percent: z.number() }).nullable(),
  shadow: z.object({ version: z.number().int().positive() }).nullable(),
  /** The global deployment revision of its last change. */
  revision: z.number().int(),
  created_by: z.string(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
})
export type DeploymentWire = z.output<typeof DeploymentWire>

export const DEPLOYMENT_ACTIONS = [
  'create',
  'delete',
  'canary',
  'canary-off',
  'shadow',
  'shadow-off',
  'promote',
  'rollback',
  'alias-follow',
] as const
export type DeploymentAction = (typeof DEPLOYMENT_ACTIONS)[number]

export const DeploymentEventWire = z.object({
  id: z.number().int(),
  deployment: z.string(),
  time: z.number().int(),
  actor: z.string(),
  action: z.enum(DEPLOYMENT_ACTIONS),
  revision: z.number().int(),
  /** Null for `create`. */
  before: DeploymentWire.nullable(),
  /** Null for `delete`. */
  after: DeploymentWire.nullable(),
  detail: z.string().nullable(),
})
export type DeploymentEventWire = z.output<typeof DeploymentEventWire>

export const CreateDeploymentRequest = z
  .object({
    name: z.string(),
    /** `MODEL@ALIAS` (follows the alias) or `MODEL/VERSION` (pinned). */
    model: z.string(),
  })
  .strict()
export type CreateDeploymentRequest = z.output<typeof CreateDeploymentRequest>

/** A version of the deployment's model: `model` as `MODEL/VERSION` (or `MODEL@ALIAS`), or `version`. */
const VersionChoice = {
  model: z.string().optional(),
  version: z.union([z.number().int(), z.string()]).optional(),
}

export const CanaryRequest = z.object({ ...VersionChoice, percent: z.number() }).strict()
export type CanaryRequest = z.output<typeof CanaryRequest>

export const ShadowRequest = z.object(VersionChoice).strict()
export type ShadowRequest = z.output<typeof ShadowRequest>

export const DeploymentResponse = z.object({ deployment: DeploymentWire })
export type DeploymentResponse = z.output<typeof DeploymentResponse>

export const ListDeploymentsResponse = z.object({
  deployments: z.array(DeploymentWire),
  /** The global revision: unchanged means no deployment changed. */
  revision: z.number().int(),
})
export type ListDeploymentsResponse = z.output<typeof ListDeploymentsResponse>

export const GetDeploymentResponse = z.object({
  deployment: DeploymentWire,
  /** The latest changes, newest first. */
  events: z.array(DeploymentEventWire),
})
export type GetDeploymentResponse = z.output<typeof GetDeploymentResponse>

export const DeploymentEventsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
})
export type DeploymentEventsQuery = z.output<typeof DeploymentEventsQuery>

export const DeploymentEventsResponse = z.object({ events: z.array(DeploymentEventWire) })
export type DeploymentEventsResponse = z.output<typeof DeploymentEventsResponse>
