import {
  GetModelLineageResponse,
  GetModelVersionResponse,
  ImportModelQuery,
  ModelCard,
  ModelCardQuery,
} from '@ballast/contracts'
import { renderModelCardMarkdown } from '../../registry/index.js'
import { defineRoute, type AnyRoute } from '../route.js'

async function* noBytes(): AsyncIterable<Uint8Array> {}

const name = (params: Record<string, string>) => params.name ?? ''
const ref = (params: Record<string, string>) => params.ref ?? ''

/**
 * Ballast's native model API. A version is named by number, `@alias` or `latest`. Registration,
 * stages, tags and aliases are MLflow's registry API (`/api/2.0/mlflow/…`).
 */
export const MODELS_ROUTES: readonly AnyRoute[] = [
  /**
   * The request body is an ONNX file. It is checked (pickles, zip archives, custom operators and
   * files onnxruntime cannot load are refused with the reason), logged as a model package to a
   * new run `import-<name>` and registered: 201 with the version.
   */
  defineRoute({
    method: 'POST',
    path: '/api/v1/models/:name/import',
    permission: 'editor',
    rawBody: true,
    query: ImportModelQuery,
    response: GetModelVersionResponse,
    handler: async ({ params, query, services, actor, c }) => {
      const imported = await services.registry.importModel(
        {
          name: name(params),
          body: c.req.raw.body ?? noBytes(),
          experiment: query.experiment,
          description: query.description,
        },
        actor.name,
      )
      return c.json(imported, 201)
    },
  }),

  /** `{version, details, lineage}`. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/models/:name/versions/:ref',
    permission: 'viewer',
    response: GetModelVersionResponse,
    handler: async ({ params, services }) =>
      services.registry.details.show(name(params), ref(params)),
  }),

  defineRoute({
    method: 'GET',
    path: '/api/v1/models/:name/versions/:ref/lineage',
    permission: 'viewer',
    response: GetModelLineageResponse,
    handler: async ({ params, services }) => ({
      lineage: await services.registry.details.lineage(name(params), ref(params)),
    }),
  }),

  /** The model card as JSON (default) or Markdown (`?format=markdown`). */
  defineRoute({
    method: 'GET',
    path: '/api/v1/models/:name/versions/:ref/card',
    permission: 'viewer',
    query: ModelCardQuery,
    response: ModelCard,
    handler: async ({ params, query, services, c }) => {
      const card = await services.registry.details.card(name(params), ref(params))
      if (query.format === 'json') return card
      return c.body(renderModelCardMarkdown(card), 200, {
        'Content-Type': 'text/markdown; charset=utf-8',
      })
    },
  }),

  /** The version's ONNX file, streamed. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/models/:name/versions/:ref/onnx',
    permission: 'viewer',
    handler: async ({ params, services }) => {
      const file = await services.registry.details.onnx(name(params), ref(params))
      return new Response(file.body, {
        headers: {
          'Content-Type': 'application/octet-stream',
          'Content-Length': String(file.size),
          'Content-Disposition': `attachment; filename="${encodeURIComponent(file.filename)}"`,
          'X-Content-Type-Options': 'nosniff',
          ETag: `"${file.sha256}"`,
        },
      })
    },
  }),
]
