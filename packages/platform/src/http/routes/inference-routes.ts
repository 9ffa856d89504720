import { InvalidParameterError, isAppError } from '@ballast/contracts'
import type { Context } from 'hono'
import {
  type DataPlane,
  type LoadedModel,
  OverloadedError,
  type PredictOptions,
  parseRecordsRequest,
  parseV1Instances,
  parseV2InferRequest,
  recordRequestId,
} from '../../serving/index.js'
import { readJsonBody } from '../parse-request.js'
import { defineRoute, type AnyRoute } from '../route.js'

/** Requests with the same value are answered by the same version (sticky canary split). */
export const ROUTING_KEY_HEADER = 'X-Routing-Key'

/** A model version's id as the protocols carry it: a positive integer, as text. */
function versionParam(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^[1-9]\d{0,9}$/.test(value)) {
    throw new InvalidParameterError(`version must be a positive integer, got '${value}'`)
  }
  return Number(value)
}

function retryLater(c: Context, error: unknown): void {
  if (error instanceof OverloadedError) c.header('Retry-After', String(error.retryAfterSeconds))
}

/**
 * The Open Inference Protocol and KServe V1 answer errors as `{"error": "..."}`; the status is
 * the AppError's (400 bad input, 404 unknown deployment or version, 503 overloaded or loading).
 */
function protocolError(c: Context, plane: DataPlane, error: unknown): Response {
  retryLater(c, error)
  if (isAppError(error)) return c.json({ error: error.message }, error.status as 400)
  plane.logger?.error({ err: error, path: c.req.path }, 'unhandled error in an inference route')
  return c.json({ error: 'internal error; see the server log' }, 500)
}

async function protocolAnswer(
  c: Context,
  plane: DataPlane,
  answer: () => Promise<unknown>,
): Promise<Response> {
  try {
    return c.json(await answer())
  } catch (error) {
    return protocolError(c, plane, error)
  }
}

function readBody(c: Context, plane: DataPlane): Promise<unknown> {
  return readJsonBody(c, { maxBytes: plane.bodyLimitBytes, setting: 'server.bodyLimitBytes' })
}

function predictOptions(c: Context, requestId: string, version?: number): PredictOptions {
  const routingKey = c.req.header(ROUTING_KEY_HEADER)
  return {
    requestId,
    ...(routingKey === undefined ? {} : { routingKey }),
    ...(version === undefined ? {} : { version }),
  }
}

/** Model metadata (Open Inference Protocol) of one version, under the deployment's name. */
function modelMetadata(name: string, versions: readonly number[], model: LoadedModel) {
  return {
    name,
    versions: versions.map(String),
    platform: 'onnxruntime',
    inputs: model.inputs.map((i) => ({ name: i.name, datatype: i.datatype, shape: i.shape })),
    outputs: model.outputs.map((o) => ({ name: o.name, datatype: o.datatype, shape: o.shape })),
    parameters: { model: model.name, version: model.version, task: model.task },
  }
}

function servedVersions(plane: DataPlane, deployment: string): number[] {
  const routes = plane.engine.routes(deployment)
  const versions = [routes.primary.model.version]
  if (routes.canary !== null) versions.push(routes.canary.slot.model.version)
  if (routes.shadow !== null) versions.push(routes.shadow.model.version)
  return [...new Set(versions)]
}

/**
 * The data plane's routes: the Open Inference Protocol (`/v2…`), KServe V1
 * (`/v1/models/{name}:predict`) and Ballast's records API. `{name}` is a deployment; a
 * `/versions/{v}` path asks one version of it. Bodies are read and checked by hand for speed.
 */
export function createInferenceRoutes(plane: DataPlane): AnyRoute[] {
  const { engine } = plane

  const metadata = defineRoute({
    method: 'GET',
    path: '/v2/models/:name',
    permission: 'viewer',
    handler: async ({ c, params }) =>
      protocolAnswer(c, plane, async () => {
        const name = params.name!
        const model = engine.model(name, versionParam(params.version))
        return modelMetadata(name, servedVersions(plane, name), model)
      }),
  })

  const modelReady = defineRoute({
    method: 'GET',
    path: '/v2/models/:name/ready',
    permission: 'viewer',
    handler: async ({ c, params }) => {
      const name = params.name!
      try {
        engine.model(name, versionParam(params.version))
        return c.json({ name, ready: true })
      } catch (error) {
        if (isAppError(error) && error.status === 503) return c.json({ name, ready: false }, 503)
        return protocolError(c, plane, error)
      }
    },
  })

  const infer = defineRoute({
    method: 'POST',
    path: '/v2/models/:name/infer',
    permission: 'viewer',
    handler: async ({ c, params }) =>
      protocolAnswer(c, plane, async () => {
        const name = params.name!
        const version = versionParam(params.version)
        const request = parseV2InferRequest(await readBody(c, plane))
        const requestId = request.id ?? (c.get('requestId') as string)
        const { model, result } = await engine.infer(
          name,
          request.inputs,
          request.outputs,
          predictOptions(c, requestId, version),
        )
        return {
          model_name: name,
          model_version: String(model.version),
          id: requestId,
          parameters: { model: model.name },
          outputs: result,
        }
      }),
  })

  return [
    defineRoute({
      method: 'GET',
      path: '/v2',
      permission: 'public',
      handler: async () => ({
        name: plane.server.name,
        version: plane.server.version,
        extensions: [],
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v2/health/live',
      permission: 'public',
      handler: async () => ({ live: true }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v2/health/ready',
      permission: 'public',
      handler: async ({ c }) => {
        try {
          await engine.checkReady()
          return { ready: true }
        } catch (error) {
          if (!isAppError(error)) throw error
          return c.json({ ready: false }, 503)
        }
      },
    }),
    metadata,
    { ...metadata, path: '/v2/models/:name/versions/:version' },
    modelReady,
    { ...modelReady, path: '/v2/models/:name/versions/:version/ready' },
    infer,
    { ...infer, path: '/v2/models/:name/versions/:version/infer' },

    defineRoute({
      method: 'POST',
      path: '/v1/models/:target{[^/]+:predict}',
      permission: 'viewer',
      handler: async ({ c, params }) =>
        protocolAnswer(c, plane, async () => {
          const name = params.target!.slice(0, -':predict'.length)
          const raw = await readBody(c, plane)
          const options = predictOptions(c, c.get('requestId') as string)
          // Array instances follow the signature's order (a canary keeps the primary's inputs).
          const records = parseV1Instances(raw, engine.model(name))
          try {
            const { result } = await engine.predictRecords(name, records, options)
            return { predictions: result.map((p) => p.prediction) }
          } catch (error) {
            // The model runtime names records; a V1 caller sent `instances`.
            if (isAppError(error) && error.message.startsWith('records[')) {
              error.message = `instances${error.message.slice('records'.length)}`
            }
            throw error
          }
        }),
    }),

    defineRoute({
      method: 'POST',
      path: '/api/v1/deployments/:name/predict',
      permission: 'viewer',
      handler: async ({ c, params }) => {
        const requestId = c.get('requestId') as string
        const records = parseRecordsRequest(await readBody(c, plane))
        try {
          const { model, result } = await engine.predictRecords(
            params.name!,
            records,
            predictOptions(c, requestId),
          )
          return {
            model: model.name,
            version: model.version,
            predictions: result.map((p, i) => ({
              request_id: recordRequestId(requestId, i),
              ...p,
            })),
          }
        } catch (error) {
          retryLater(c, error)
          throw error
        }
      },
    }),
  ]
}
