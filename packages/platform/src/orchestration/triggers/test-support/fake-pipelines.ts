import { NotFoundError } from '@ballast/contracts'
import type {
  PipelineRecord,
  PipelineRun,
  PipelineService,
  PipelineSpec,
  TriggerSpec,
} from '../../pipelines/pipeline-types.js'

/** A pipeline spec with one trivial step and the triggers and limits given. */
export function triggeredSpec(
  name: string,
  triggers: TriggerSpec[],
  limits: Partial<PipelineSpec['limits']> = {},
): PipelineSpec {
  return {
    name,
    params: {},
    triggers,
    limits: { debounceMs: 600_000, maxRunsPerDay: 3, ...limits },
    steps: [{ name: 'hello', kind: 'command', with: { run: 'echo hello' } }],
  }
}

/**
 * Pipelines in memory: runs are recorded, never executed, and created at the time `clock` reads,
 * so trigger tests control time. `startDelayMs` makes `start` slow, to widen races.
 */
export function fakePipelines(clock: () => number, options: { startDelayMs?: number } = {}) {
  const records = new Map<string, PipelineRecord>()
  const runs: PipelineRun[] = []
  const get = (name: string) => {
    const record = records.get(name)
    if (record === undefined) throw new NotFoundError(`Pipeline '${name}' not found`)
    return record
  }
  const service: PipelineService = {
    async apply(spec, actor) {
      const now = clock()
      const record: PipelineRecord = {
        name: spec.name,
        spec,
        digest: JSON.stringify(spec),
        createdBy: actor,
        createdAt: records.get(spec.name)?.createdAt ?? now,
        updatedAt: now,
      }
      records.set(spec.name, record)
      return record
    },
    list: async () => [...records.values()],
    get: async (name) => get(name),
    async start(name, { trigger, params, actor }) {
      const record = get(name)
      if (options.startDelayMs !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, options.startDelayMs))
      }
      const run: PipelineRun = {
        id: `run-${runs.length + 1}`,
        pipeline: name,
        status: 'queued',
        trigger,
        params: { ...record.spec.params, ...params },
        createdBy: actor,
        createdAt: clock(),
        startedAt: null,
        finishedAt: null,
        error: null,
        steps: [],
      }
      runs.push(run)
      return run
    },
    async runs(name, { since, limit } = {}) {
      return runs
        .filter((r) => r.pipeline === name && (since === undefined || r.createdAt >= since))
        .reverse()
        .slice(0, limit)
    },
    async run(id) {
      const run = runs.find((r) => r.id === id)
      if (run === undefined) throw new NotFoundError(`Pipeline run '${id}' not found`)
      return run
    },
    async cancel(id) {
      const run = await service.run(id)
      run.status = 'cancelled'
      return run
    },
  }
  return { service, runs }
}
