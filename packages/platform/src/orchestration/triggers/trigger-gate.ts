import type { MetadataStore } from '../../storage/index.js'
import type { PipelineLimits, PipelineService } from '../pipelines/pipeline-types.js'

const DAY = 86_400_000
// Each lost compare-and-set means another server just admitted a run; a few rounds settle it.
const MAX_ROUNDS = 5

/** What a firing may do: start a run (then say which), or not, and why. */
export type Admission =
  | { outcome: 'merged'; runId: string | null }
  | { outcome: 'capped' }
  | {
      outcome: 'start'
      /** Records the run that started, for firings merged into it. */
      started(runId: string): Promise<void>
      /** The start failed: the firing counts neither for debounce nor for the cap. */
      release(): Promise<void>
    }

interface GateRow {
  last_started_at: number
  last_run_id: string | null
  day: number
  day_runs: number
}

async function readGate(store: MetadataStore, pipeline: string): Promise<GateRow> {
  await store.db
    .insertInto('trigger_gates')
    .values({ pipeline, last_started_at: 0, last_run_id: null, day: 0, day_runs: 0 })
    .onConflict((oc) => oc.column('pipeline').doNothing())
    .execute()
  const row = await store.db
    .selectFrom('trigger_gates')
    .select(['last_started_at', 'last_run_id', 'day', 'day_runs'])
    .where('pipeline', '=', pipeline)
    .executeTakeFirstOrThrow()
  return {
    last_started_at: Number(row.last_started_at),
    last_run_id: row.last_run_id,
    day: Number(row.day),
    day_runs: Number(row.day_runs),
  }
}

/**
 * Decides a firing of `pipeline` at `now`: merged when any run of the pipeline (manual ones too)
 * started less than `debounceMs` before; capped when the pipeline has had `maxRunsPerDay`
 * triggered runs this UTC day; otherwise admitted, the gate row moved by compare-and-set so that
 * servers deciding at once for different triggers admit one run, not one each.
 */
export async function admitRun(
  store: MetadataStore,
  pipelines: Pick<PipelineService, 'runs'>,
  pipeline: string,
  limits: PipelineLimits,
  now: number,
): Promise<Admission> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const gate = await readGate(store, pipeline)
    const [newest] = await pipelines.runs(pipeline, { limit: 1 })
    let lastStart = gate.last_started_at > 0 ? gate.last_started_at : undefined
    let lastRun = gate.last_run_id
    if (newest !== undefined && (lastStart === undefined || newest.createdAt >= lastStart)) {
      lastStart = newest.createdAt
      lastRun = newest.id
    }
    // A run stamped after `now` (another server's clock runs ahead) counts as just started.
    if (limits.debounceMs > 0 && lastStart !== undefined && now - lastStart < limits.debounceMs) {
      return { outcome: 'merged', runId: lastRun }
    }
    const day = Math.floor(now / DAY)
    const dayRuns = gate.day === day ? gate.day_runs : 0
    if (dayRuns >= limits.maxRunsPerDay) return { outcome: 'capped' }
    const moved = await store.db
      .updateTable('trigger_gates')
      .set({ last_started_at: now, last_run_id: null, day, day_runs: dayRuns + 1 })
      .where('pipeline', '=', pipeline)
      .where('last_started_at', '=', gate.last_started_at)
      .where('day', '=', gate.day)
      .where('day_runs', '=', gate.day_runs)
      .executeTakeFirst()
    if (moved.numUpdatedRows !== 1n) continue
    const mine = store.db
      .updateTable('trigger_gates')
      .where('pipeline', '=', pipeline)
      .where('last_started_at', '=', now)
      .where('day_runs', '=', dayRuns + 1)
    return {
      outcome: 'start',
      async started(runId) {
        await mine.set({ last_run_id: runId }).execute()
      },
      async release() {
        await mine.set({ ...gate }).execute()
      },
    }
  }
  // Other servers kept admitting runs for this pipeline just now: this firing joins theirs.
  const gate = await readGate(store, pipeline)
  return { outcome: 'merged', runId: gate.last_run_id }
}
