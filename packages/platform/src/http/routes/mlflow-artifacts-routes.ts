import {
  MlflowArtifactsListRequest,
  MlflowArtifactsListResponse,
  MlflowEmptyResponse,
  MlflowListArtifactsRequest,
  MlflowListArtifactsResponse,
} from '@ballast/contracts'
import type { Context } from 'hono'
import path from 'node:path'
import { normalizeArtifactPath } from '../../artifacts/safe-artifact-path.js'
import { contentTypeFor } from '../../tracking/index.js'
import { type AnyRoute, defineRoute } from '../route.js'

const ANCHOR = '/mlflow-artifacts/artifacts/'

/**
 * The artifact path of a request. URL parsing removes '.' and '..' segments (also spelled %2e)
 * before routing, so `…/artifacts/1/r/%2e%2e/%2e%2e/x` would quietly arrive as `1/x`. It could not
 * leave the artifact root, but a traversal attempt deserves the 400 MLflow gives it: so the path
 * as the client sent it, when the server has it, is checked too.
 */
function artifactPath(c: Context, param: string | undefined): string {
  const sent = (c.env as { incoming?: { url?: string } } | undefined)?.incoming?.url
  const sentPath = sent?.split('?')[0]
  const at = sentPath?.indexOf(ANCHOR) ?? -1
  if (sentPath !== undefined && at >= 0) {
    normalizeArtifactPath(sentPath.slice(at + ANCHOR.length), 'path')
  }
  return param ?? ''
}

/** `attachment` always, as MLflow: a browser must never render an artifact on the server's origin. */
function contentDisposition(filePath: string): string {
  const name = path.posix.basename(filePath)
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/**
 * MLflow's artifacts/list, relative to `/api/2.0/mlflow` (see mlflow-api-routes.ts). A folder
 * listing is one page: page_token is accepted and next_page_token never set, as MLflow's own
 * proxied listing does.
 */
export const MLFLOW_RUN_ARTIFACT_ROUTES: readonly AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/artifacts/list',
    query: MlflowListArtifactsRequest,
    response: MlflowListArtifactsResponse,
    permission: 'viewer',
    handler: ({ query, services }) => services.tracking.artifacts.listRun(query.run_id, query.path),
  }),
]

/**
 * MLflow's proxied artifact API, relative to `/api/2.0/mlflow-artifacts`: what the MLflow client
 * uses for a run whose artifact_uri is `mlflow-artifacts:/<experiment>/<run>/artifacts`. Paths are
 * relative to the artifact root; bodies stream both ways.
 */
export const MLFLOW_PROXIED_ARTIFACT_ROUTES: readonly AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/artifacts',
    query: MlflowArtifactsListRequest,
    response: MlflowArtifactsListResponse,
    permission: 'viewer',
    handler: async ({ query, services }) => {
      const files = await services.tracking.artifacts.list(query.path)
      return files.length > 0 ? { files } : {}
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/artifacts/:path{.+}',
    permission: 'viewer',
    handler: async ({ params, services, c }) => {
      const file = await services.tracking.artifacts.download(artifactPath(c, params.path))
      return new Response(file.body, {
        headers: {
          'Content-Type': contentTypeFor(file.path),
          'Content-Length': String(file.size),
          'Content-Disposition': contentDisposition(file.path),
          'X-Content-Type-Options': 'nosniff',
        },
      })
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/artifacts/:path{.+}',
    permission: 'editor',
    rawBody: true,
    response: MlflowEmptyResponse,
    handler: async ({ params, services, c }) => {
      await services.tracking.artifacts.upload(
        artifactPath(c, params.path),
        c.req.raw.body ?? new Uint8Array(0),
      )
      return {}
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/artifacts/:path{.+}',
    permission: 'editor',
    response: MlflowEmptyResponse,
    handler: async ({ params, services, c }) => {
      await services.tracking.artifacts.delete(artifactPath(c, params.path))
      return {}
    },
  }),
]
