import {
  GetJobResponse,
  JobLogsQuery,
  JobLogsResponse,
  ListJobsQuery,
  ListJobsResponse,
  ListWorkersResponse,
} from '@ballast/contracts'
import { LIVE_WORKER_STALE_MS } from '../../storage/jobs/index.js'
import { defineRoute, type AnyRoute } from '../route.js'

/** Jobs (long work run by workers): follow them (viewers), cancel them (editors). */
export const JOBS_ROUTES: readonly AnyRoute[] = [
  /** `{jobs}`, newest first; `?status=&kind=&limit=` (default 100, at most 1000). */
  defineRoute({
    method: 'GET',
    path: '/api/v1/jobs',
    permission: 'viewer',
    query: ListJobsQuery,
    response: ListJobsResponse,
    handler: async ({ query, services }) => ({
      jobs: await services.jobs.list({
        limit: query.limit,
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.kind === undefined ? {} : { kind: query.kind }),
      }),
    }),
  }),

  defineRoute({
    method: 'GET',
    path: '/api/v1/jobs/:id',
    permission: 'viewer',
    response: GetJobResponse,
    handler: async ({ params, services }) => ({
      job: await services.jobs.require(params.id ?? ''),
    }),
  }),

  /** `{logs}`: lines with `seq` above `?after=` (default 0), oldest first, up to `?limit=`. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/jobs/:id/logs',
    permission: 'viewer',
    query: JobLogsQuery,
    response: JobLogsResponse,
    handler: async ({ params, query, services }) => {
      const job = await services.jobs.require(params.id ?? '')
      return { logs: await services.jobs.logs(job.id, query.after, query.limit) }
    },
  }),

  /**
   * 202 with the job: a queued job is cancelled at once, a running one when its worker notices
   * (`cancelRequested: true` until then).
   */
  defineRoute({
    method: 'POST',
    path: '/api/v1/jobs/:id/cancel',
    permission: 'editor',
    response: GetJobResponse,
    handler: async ({ params, services, c }) =>
      c.json({ job: await services.jobs.requestCancel(params.id ?? '') }, 202),
  }),

  /** `{workers}`: the workers that reported in the last half minute. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/workers',
    permission: 'viewer',
    response: ListWorkersResponse,
    handler: async ({ services }) => ({
      workers: await services.jobs.liveWorkers(undefined, LIVE_WORKER_STALE_MS),
    }),
  }),
]
