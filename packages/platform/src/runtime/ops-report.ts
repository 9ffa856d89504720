import { NotFoundError, type OpsReportWire } from '@ballast/contracts'
import { type DeploymentEvent, readServingStats } from '../serving/index.js'
import type { Services } from './services.js'

/** Deployment events read per deployment: every change a report needs, newest first. */
const EVENTS_LIMIT = 100_000
/** Decisions read per page, newest first, back to the start of the report's range. */
const DECISIONS_PAGE = 1000

export interface OpsReportOptions {
  /** Epoch ms: only what happened since then; everything when absent. */
  since?: number
  /** Epoch ms; the end of the cost range. Now when absent. */
  now?: number
}

/** `2026-W09`: the ISO 8601 week (Monday first; week 1 holds the year's first Thursday). */
export function isoWeek(time: number): string {
  const d = new Date(time)
  const day = (d.getUTCDay() + 6) % 7
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3)
  const year = new Date(thursday).getUTCFullYear()
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1
  return `${year}-W${String(week).padStart(2, '0')}`
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const changesPrimary = (e: DeploymentEvent) =>
  e.after !== null && (e.before === null || e.before.version !== e.after.version)

/** The start of the run that made a model version; null when the registry or run is gone. */
async function runStart(services: Services, model: string, version: number) {
  try {
    const lineage = await services.registry.details.lineage(model, String(version))
    if (lineage.run_id === '') return null
    const start = (await services.tracking.runs.get(lineage.run_id)).info.start_time
    return start === undefined ? null : Number(start)
  } catch (error) {
    if (error instanceof NotFoundError) return null
    throw error
  }
}

/**
 * How the delivery loop performs: lead time from a run's start to its version serving as a
 * deployment's primary, how often primaries change, rollbacks, drift-to-promotion time, accuracy
 * per monitor window and CPU cost per 1,000 predictions.
 */
export async function opsReport(
  services: Services,
  options: OpsReportOptions = {},
): Promise<OpsReportWire> {
  const since = options.since ?? 0
  const now = options.now ?? Date.now()
  const deployments = await services.serving.deployments.list()
  const events: DeploymentEvent[] = []
  for (const d of deployments) {
    const all = await services.serving.deployments.events(d.name, { limit: EVENTS_LIMIT })
    events.push(...all.filter((e) => e.time >= since))
  }
  events.sort((a, b) => a.time - b.time || a.id - b.id)
  const primaryChanges = events.filter(changesPrimary)

  const leadTimes: OpsReportWire['lead_time']['versions'] = []
  const seen = new Set<string>()
  for (const e of primaryChanges) {
    const after = e.after!
    const key = `${e.deployment}\u0000${after.version}`
    if (e.action === 'rollback' || seen.has(key)) continue
    seen.add(key)
    const start = await runStart(services, after.model, after.version)
    if (start === null) continue
    leadTimes.push({
      deployment: e.deployment,
      model: after.model,
      version: after.version,
      run_started_at: start,
      promoted_at: e.time,
      lead_time_ms: e.time - start,
    })
  }

  const weeks = new Map<string, number>()
  for (const e of primaryChanges) weeks.set(isoWeek(e.time), (weeks.get(isoWeek(e.time)) ?? 0) + 1)

  const rollbacks = events
    .filter((e) => e.action === 'rollback')
    .map((e) => ({
      deployment: e.deployment,
      time: e.time,
      actor: e.actor,
      from_version: e.before?.version ?? null,
      to_version: e.after?.version ?? null,
    }))

  return {
    since: options.since ?? null,
    lead_time: { median_ms: median(leadTimes.map((l) => l.lead_time_ms)), versions: leadTimes },
    deployments_per_week: [...weeks]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([week, n]) => ({ week, deployments: n })),
    rollbacks: { count: rollbacks.length, list: rollbacks },
    drift_to_promotion: await driftToPromotion(services, since, primaryChanges),
    accuracy_over_time: await accuracyOverTime(services, since),
    cost: await cost(services, events, since, now),
  }
}

/** Every decision made since `since`, newest first, page by page. */
async function* decisionsSince(services: Services, since: number) {
  let beforeId: number | undefined
  for (;;) {
    const page = await services.orchestration.decisions.list({
      limit: DECISIONS_PAGE,
      ...(beforeId === undefined ? {} : { beforeId }),
    })
    for (const decision of page) {
      if (decision.decidedAt < since) return
      yield decision
    }
    if (page.length < DECISIONS_PAGE) return
    beforeId = page[page.length - 1]!.id
  }
}

/** Promotions by pipeline runs a monitor event started: from the event to the new primary. */
async function driftToPromotion(
  services: Services,
  since: number,
  primaryChanges: readonly DeploymentEvent[],
): Promise<OpsReportWire['drift_to_promotion']> {
  const out: OpsReportWire['drift_to_promotion'] = []
  for await (const decision of decisionsSince(services, since)) {
    if (decision.pipelineRun === null || !decision.passed) continue
    const run = await services.orchestration.pipelines.run(decision.pipelineRun)
    const eventId = Number(run.trigger.values.event_id)
    if (run.trigger.kind !== 'event' || !Number.isSafeInteger(eventId)) continue
    const [event] = (
      await services.monitoring.monitors.events({
        afterId: eventId - 1,
        beforeId: eventId + 1,
        limit: 1,
      })
    ).filter((e) => e.id === eventId)
    const promotion = primaryChanges.find(
      (e) =>
        e.action !== 'rollback' &&
        e.after?.model === decision.model &&
        e.after.version === decision.challengerVersion &&
        e.time >= run.createdAt,
    )
    // An event newer than the run cannot have started it (a store whose event ids were reused).
    if (event === undefined || promotion === undefined || event.time < since) continue
    if (event.time > run.createdAt) continue
    out.push({
      pipeline_run: run.id,
      event_id: eventId,
      event_time: event.time,
      deployment: promotion.deployment,
      version: decision.challengerVersion,
      promoted_at: promotion.time,
      time_ms: promotion.time - event.time,
    })
  }
  return out.sort((a, b) => a.event_time - b.event_time)
}

async function accuracyOverTime(
  services: Services,
  since: number,
): Promise<OpsReportWire['accuracy_over_time']> {
  const out: OpsReportWire['accuracy_over_time'] = []
  for (const monitor of await services.monitoring.monitors.list()) {
    for (const r of await services.monitoring.monitors.results(monitor.name)) {
      if (r.end < since || r.performance === null) continue
      out.push({
        deployment: r.deployment,
        monitor: r.monitor,
        window_end: r.end,
        realized: r.performance.realized?.accuracy ?? null,
        estimated: r.performance.estimated?.accuracy ?? null,
      })
    }
  }
  return out.sort((a, b) => a.deployment.localeCompare(b.deployment) || a.window_end - b.window_end)
}

/** CPU seconds per 1,000 predictions of every version a deployment served in the range. */
async function cost(
  services: Services,
  events: readonly DeploymentEvent[],
  since: number,
  now: number,
): Promise<OpsReportWire['cost']> {
  const versions = new Map<string, Set<number>>()
  const add = (deployment: string, version: number | undefined) => {
    if (version === undefined) return
    const set = versions.get(deployment) ?? new Set<number>()
    versions.set(deployment, set.add(version))
  }
  for (const d of await services.serving.deployments.list()) {
    add(d.name, d.version)
    add(d.name, d.canary?.version)
    add(d.name, d.shadow?.version)
  }
  for (const e of events) {
    add(e.deployment, e.after?.version)
    add(e.deployment, e.after?.canary?.version)
    add(e.deployment, e.after?.shadow?.version)
  }
  const out: OpsReportWire['cost'] = []
  for (const [deployment, set] of [...versions].sort(([a], [b]) => a.localeCompare(b))) {
    for (const version of [...set].sort((a, b) => a - b)) {
      const stats = await readServingStats(services.store.db, {
        deployment,
        version,
        from: since,
        to: now + 1,
      })
      const cpuSeconds = stats.cpuMs / 1000
      out.push({
        deployment,
        version,
        predictions: stats.predictions,
        cpu_seconds: cpuSeconds,
        cpu_seconds_per_1000:
          stats.predictions === 0 ? null : (cpuSeconds * 1000) / stats.predictions,
      })
    }
  }
  return out
}
