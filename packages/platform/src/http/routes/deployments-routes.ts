import {
  CanaryRequest,
  CreateDeploymentRequest,
  type DeploymentEventWire,
  DeploymentEventsQuery,
  DeploymentEventsResponse,
  DeploymentResponse,
  type DeploymentWire,
  GetDeploymentResponse,
  InvalidParameterError,
  ListDeploymentsResponse,
  ShadowRequest,
} from '@ballast/contracts'
import {
  type Deployment,
  type DeploymentEvent,
  type VersionChoice,
  validateDeploymentName,
} from '../../serving/index.js'
import { defineRoute, type AnyRoute } from '../route.js'

/** Events shown with one deployment. */
const RECENT_EVENTS = 10

export function deploymentToWire(d: Deployment): DeploymentWire {
  return {
    name: d.name,
    model: d.model,
    target: d.target,
    version: d.version,
    previous_version: d.previousVersion,
    canary: d.canary,
    shadow: d.shadow,
    revision: d.revision,
    created_by: d.createdBy,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  }
}

function eventToWire(e: DeploymentEvent): DeploymentEventWire {
  return {
    id: e.id,
    deployment: e.deployment,
    time: e.time,
    actor: e.actor,
    action: e.action,
    revision: e.revision,
    before: e.before === null ? null : deploymentToWire(e.before),
    after: e.after === null ? null : deploymentToWire(e.after),
    detail: e.detail,
  }
}

/** `model` (`MODEL/VERSION`) or `version`: one of them. */
function versionChoice(body: {
  model?: string | undefined
  version?: number | string | undefined
}) {
  if ((body.model === undefined) === (body.version === undefined)) {
    throw new InvalidParameterError(
      "Invalid request body: give either 'model' (MODEL/VERSION) or 'version', not both or neither",
    )
  }
  return (body.model ?? body.version) as VersionChoice
}

const name = (params: Record<string, string>) => validateDeploymentName(params.name ?? '')

/** Deployments (the serving control plane): viewers read them, editors change them. */
export const DEPLOYMENTS_ROUTES: readonly AnyRoute[] = [
  /** `{name, model: MODEL@ALIAS | MODEL/VERSION}` → 201 `{deployment}`. */
  defineRoute({
    method: 'POST',
    path: '/api/v1/deployments',
    permission: 'editor',
    body: CreateDeploymentRequest,
    response: DeploymentResponse,
    handler: async ({ body, services, actor, c }) => {
      const created = await services.serving.deployments.create(body, actor.name)
      return c.json({ deployment: deploymentToWire(created) }, 201)
    },
  }),

  /** `{deployments, revision}`: by name, with the global revision servers compare. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/deployments',
    permission: 'viewer',
    response: ListDeploymentsResponse,
    handler: async ({ services }) => {
      const deployments = services.serving.deployments
      // Revision first: a change landing between the two reads shows up as a newer revision.
      const revision = await deployments.revision()
      return { deployments: (await deployments.list()).map(deploymentToWire), revision }
    },
  }),

  /** `{deployment, events}`: the latest changes, newest first. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/deployments/:name',
    permission: 'viewer',
    response: GetDeploymentResponse,
    handler: async ({ params, services }) => {
      const deployment = await services.serving.deployments.get(name(params))
      const events = await services.serving.deployments.events(deployment.name, {
        limit: RECENT_EVENTS,
      })
      return { deployment: deploymentToWire(deployment), events: events.map(eventToWire) }
    },
  }),

  /** `{deployment}` as it was; its history stays readable. */
  defineRoute({
    method: 'DELETE',
    path: '/api/v1/deployments/:name',
    permission: 'editor',
    response: DeploymentResponse,
    handler: async ({ params, services, actor }) => ({
      deployment: deploymentToWire(
        await services.serving.deployments.delete(name(params), actor.name),
      ),
    }),
  }),

  /** `{model: MODEL/VERSION | version, percent}`: that share of requests goes to the canary. */
  defineRoute({
    method: 'POST',
    path: '/api/v1/deployments/:name/canary',
    permission: 'editor',
    body: CanaryRequest,
    response: DeploymentResponse,
    handler: async ({ params, body, services, actor }) => ({
      deployment: deploymentToWire(
        await services.serving.deployments.canary(
          name(params),
          { version: versionChoice(body), percent: body.percent },
          actor.name,
        ),
      ),
    }),
  }),

  defineRoute({
    method: 'DELETE',
    path: '/api/v1/deployments/:name/canary',
    permission: 'editor',
    response: DeploymentResponse,
    handler: async ({ params, services, actor }) => ({
      deployment: deploymentToWire(
        await services.serving.deployments.canary(name(params), null, actor.name),
      ),
    }),
  }),

  /** `{model: MODEL/VERSION | version}`: a copy of every request, answers logged, never returned. */
  defineRoute({
    method: 'POST',
    path: '/api/v1/deployments/:name/shadow',
    permission: 'editor',
    body: ShadowRequest,
    response: DeploymentResponse,
    handler: async ({ params, body, services, actor }) => ({
      deployment: deploymentToWire(
        await services.serving.deployments.shadow(
          name(params),
          { version: versionChoice(body) },
          actor.name,
        ),
      ),
    }),
  }),

  defineRoute({
    method: 'DELETE',
    path: '/api/v1/deployments/:name/shadow',
    permission: 'editor',
    response: DeploymentResponse,
    handler: async ({ params, services, actor }) => ({
      deployment: deploymentToWire(
        await services.serving.deployments.shadow(name(params), null, actor.name),
      ),
    }),
  }),

  /** The canary becomes the primary version (409 without a canary). */
  defineRoute({
    method: 'POST',
    path: '/api/v1/deployments/:name/promote',
    permission: 'editor',
    response: DeploymentResponse,
    handler: async ({ params, services, actor }) => ({
      deployment: deploymentToWire(
        await services.serving.deployments.promote(name(params), actor.name),
      ),
    }),
  }),

  /** Back to the previous version (409 when there is none). */
  defineRoute({
    method: 'POST',
    path: '/api/v1/deployments/:name/rollback',
    permission: 'editor',
    response: DeploymentResponse,
    handler: async ({ params, services, actor }) => ({
      deployment: deploymentToWire(
        await services.serving.deployments.rollback(name(params), actor.name),
      ),
    }),
  }),

  /** `{events}` newest first (`?limit=`, 100 by default, at most 1000). */
  defineRoute({
    method: 'GET',
    path: '/api/v1/deployments/:name/events',
    permission: 'viewer',
    query: DeploymentEventsQuery,
    response: DeploymentEventsResponse,
    handler: async ({ params, query, services }) => ({
      events: (
        await services.serving.deployments.events(name(params), {
          ...(query.limit === undefined ? {} : { limit: query.limit }),
        })
      ).map(eventToWire),
    }),
  }),
]
