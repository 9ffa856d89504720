import { isAppError } from '@ballast/contracts'
import type { RunTrigger, TriggerSpec } from '../pipelines/pipeline-types.js'
import { nextFire, parseCron } from './cron.js'
import type { TriggerDependencies } from './trigger-types.js'

type Sources = Pick<TriggerDependencies, 'data' | 'monitors'>

/** One move of a trigger's cursor, with the firing it claims (none: it only skips past). */
export interface CursorStep {
  position: number
  fire?: Omit<RunTrigger, 'kind'>
}

const DAY = 86_400_000
// Monitor events read per check; a burst larger than this between checks is merged or capped
// anyway, so the oldest of it may go unread.
const EVENTS_PER_CHECK = 1000

async function latestVersion(data: Sources['data'], dataset: string): Promise<number> {
  try {
    return (await data.getVersion(dataset, 'latest')).version
  } catch (error) {
    // A dataset that does not exist yet has no versions: its first one is new.
    if (isAppError(error) && error.code === 'RESOURCE_DOES_NOT_EXIST') return 0
    throw error
  }
}

async function latestEventId(monitors: Sources['monitors']): Promise<number> {
  const [newest] = await monitors.events({ limit: 1 })
  return newest?.id ?? 0
}

/** Where a newly registered trigger starts: what exists now, which it does not fire for. */
export async function initialPosition(
  sources: Sources,
  spec: TriggerSpec,
  now: number,
): Promise<number> {
  if (spec.kind === 'schedule') {
    parseCron(spec.cron)
    return now
  }
  if (spec.kind === 'dataset') return latestVersion(sources.data, spec.dataset)
  return latestEventId(sources.monitors)
}

/** The latest time the schedule was due in (position, now], if any. */
function latestDue(cron: string, position: number, now: number): number | undefined {
  const schedule = parseCron(cron)
  // Only the latest due time fires: start the walk at most a day back when that finds one.
  let due = nextFire(schedule, Math.max(position, now - DAY))
  if (due > now) due = nextFire(schedule, position)
  if (due > now) return undefined
  for (let next = nextFire(schedule, due); next <= now; next = nextFire(schedule, due)) due = next
  return due
}

/** The cursor moves a trigger makes past `position` at `now`, in order. */
export async function pendingSteps(
  sources: Sources,
  spec: TriggerSpec,
  position: number,
  now: number,
): Promise<CursorStep[]> {
  if (spec.kind === 'schedule') {
    const due = latestDue(spec.cron, position, now)
    if (due === undefined) return []
    const at = new Date(due).toISOString()
    return [
      { position: due, fire: { detail: spec.cron, values: { cron: spec.cron, scheduled_at: at } } },
    ]
  }
  if (spec.kind === 'dataset') {
    const version = await latestVersion(sources.data, spec.dataset)
    if (version <= position) return []
    return [
      {
        position: version,
        fire: {
          detail: `${spec.dataset}@${version}`,
          values: { dataset: spec.dataset, version },
        },
      },
    ]
  }
  // Oldest first: with more than a check's worth waiting, the rest are read by the next check.
  const events = await sources.monitors.events({
    afterId: position,
    oldestFirst: true,
    limit: EVENTS_PER_CHECK,
    ...(spec.monitor === undefined ? {} : { monitor: spec.monitor }),
    ...(spec.deployment === undefined ? {} : { deployment: spec.deployment }),
  })
  const steps: CursorStep[] = events
    .filter((e) => spec.events.includes(e.type))
    .sort((a, b) => a.id - b.id)
    .map((e) => ({
      position: e.id,
      fire: {
        detail: `${e.type} #${e.id} (monitor ${e.monitor})`,
        values: {
          event_id: e.id,
          monitor: e.monitor,
          deployment: e.deployment,
          type: e.type,
          window: e.window,
        },
      },
    }))
  // Events of other types move the cursor too, so they are not read again.
  const newest = Math.max(position, ...events.map((e) => e.id))
  if (newest > (steps.at(-1)?.position ?? position)) steps.push({ position: newest })
  return steps
}
