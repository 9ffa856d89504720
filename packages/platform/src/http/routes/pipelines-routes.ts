import { existsSync } from 'node:fs'
import path from 'node:path'
import {
  AppError,
  ApplyPipelineRequest,
  InvalidParameterError,
  ListPipelineRunsQuery,
  ListPipelineRunsResponse,
  ListPipelinesResponse,
  PIPELINE_RUNS_API,
  PIPELINES_API,
  PipelineResponse,
  PipelineRunResponse,
  StartPipelineRunRequest,
} from '@ballast/contracts'
import type { Actor } from '../../governance/index.js'
import {
  type PipelineSpec,
  checkPipelineSpec,
  parsePipelineYaml,
} from '../../orchestration/index.js'
import { STEP_CATALOG } from '../../runtime/steps/index.js'
import { defineRoute, type AnyRoute } from '../route.js'

const MAX_SPEC_BYTES = 1_000_000

/**
 * The file-path rule. A spec sent to the API is read on the server, so its file paths would name
 * the server's files: they are accepted only from an admin, only absolute, and only when they
 * exist. `command` steps run programs on workers, so they too need an admin — who could read any
 * file with a command anyway, which is why the two share one rule. Editors apply pipelines whose
 * data comes from datasets (`ballast pipeline run FILE` uploads a pipeline's local files as
 * datasets and inlines its suites before sending the spec).
 */
function checkServerFiles(spec: PipelineSpec, actor: Actor): void {
  spec.steps.forEach((step, i) => {
    const field = `steps[${i}]`
    const files = STEP_CATALOG.fileInputs(step.kind).flatMap((key) => {
      const value = step.with[key]
      const list = Array.isArray(value) ? value : value === undefined ? [] : [value]
      return list.map((v, j) => ({ key: Array.isArray(value) ? `${key}[${j}]` : key, v }))
    })
    const needsAdmin = step.kind === 'command' || files.length > 0
    if (needsAdmin && actor.role !== 'admin') {
      throw new AppError(
        'PERMISSION_DENIED',
        `${field}: ${step.kind === 'command' ? 'command steps run programs on workers' : `with.${files[0]!.key} names a file on the server`}; applying it needs the admin role`,
      )
    }
    for (const { key, v } of files) {
      if (typeof v !== 'string' || v.includes('${{')) continue
      if (!path.isAbsolute(v)) {
        throw new InvalidParameterError(
          `${field}.with.${key}: '${v}' is relative; through the API file paths must be absolute paths on the server`,
        )
      }
      if (!existsSync(v)) {
        throw new InvalidParameterError(`${field}.with.${key}: file '${v}' does not exist`)
      }
    }
  })
}

/** The body: YAML text (any non-JSON content type), or JSON `{yaml}` / `{spec}`. */
async function specFrom(
  text: string,
  contentType: string,
): Promise<{ spec: PipelineSpec; yaml?: string }> {
  if (text.length > MAX_SPEC_BYTES) {
    throw new AppError(
      'REQUEST_LIMIT_EXCEEDED',
      `a pipeline spec may hold at most ${MAX_SPEC_BYTES} bytes`,
    )
  }
  if (!contentType.includes('json')) {
    return { spec: parsePipelineYaml(text, 'pipeline.yaml', { steps: STEP_CATALOG }), yaml: text }
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new InvalidParameterError('Invalid request body: not JSON')
  }
  const body = ApplyPipelineRequest.safeParse(value)
  if (!body.success) {
    throw new InvalidParameterError('Invalid request body: expected {yaml: TEXT} or {spec: {...}}')
  }
  if ('yaml' in body.data) {
    const source = body.data.source ?? 'pipeline.yaml'
    const spec = parsePipelineYaml(body.data.yaml, source, { steps: STEP_CATALOG })
    return { spec, yaml: body.data.yaml }
  }
  return { spec: checkPipelineSpec(body.data.spec, 'spec', { steps: STEP_CATALOG }) }
}

/** Pipelines and their runs: viewers read, editors apply and run, admins apply code and files. */
export const PIPELINES_ROUTES: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: PIPELINES_API,
    permission: 'editor',
    rawBody: true,
    response: PipelineResponse,
    handler: async ({ services, actor, c }) => {
      const { spec, yaml } = await specFrom(await c.req.text(), c.req.header('content-type') ?? '')
      checkServerFiles(spec, actor)
      const pipeline = await services.orchestration.pipelines.apply(spec, actor.name, {
        ...(yaml === undefined ? {} : { yaml }),
      })
      return c.json({ pipeline }, 201)
    },
  }),

  defineRoute({
    method: 'GET',
    path: PIPELINES_API,
    permission: 'viewer',
    response: ListPipelinesResponse,
    handler: async ({ services }) => ({ pipelines: await services.orchestration.pipelines.list() }),
  }),

  defineRoute({
    method: 'GET',
    path: `${PIPELINES_API}/:name`,
    permission: 'viewer',
    response: PipelineResponse,
    handler: async ({ params, services }) => ({
      pipeline: await services.orchestration.pipelines.get(params.name ?? ''),
    }),
  }),

  /** Starts a run: 202 `{run}`; its steps go on as jobs. */
  defineRoute({
    method: 'POST',
    path: `${PIPELINES_API}/:name/runs`,
    permission: 'editor',
    body: StartPipelineRunRequest,
    response: PipelineRunResponse,
    handler: async ({ params, body, services, actor, c }) => {
      const run = await services.orchestration.pipelines.start(params.name ?? '', {
        trigger: { kind: 'manual', detail: actor.name, values: {} },
        params: body.params,
        actor: actor.name,
      })
      return c.json({ run }, 202)
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${PIPELINES_API}/:name/runs`,
    permission: 'viewer',
    query: ListPipelineRunsQuery,
    response: ListPipelineRunsResponse,
    handler: async ({ params, query, services }) => ({
      runs: await services.orchestration.pipelines.runs(params.name ?? '', {
        limit: query.limit,
        ...(query.since === undefined ? {} : { since: query.since }),
      }),
    }),
  }),

  defineRoute({
    method: 'GET',
    path: `${PIPELINE_RUNS_API}/:id`,
    permission: 'viewer',
    response: PipelineRunResponse,
    handler: async ({ params, services }) => ({
      run: await services.orchestration.pipelines.run(params.id ?? ''),
    }),
  }),

  defineRoute({
    method: 'POST',
    path: `${PIPELINE_RUNS_API}/:id/cancel`,
    permission: 'editor',
    response: PipelineRunResponse,
    handler: async ({ params, services, actor }) => ({
      run: await services.orchestration.pipelines.cancel(params.id ?? '', actor.name),
    }),
  }),
]
