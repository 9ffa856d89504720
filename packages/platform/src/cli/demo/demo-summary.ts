import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { verifyAudit } from '../../governance/index.js'
import { DEFAULT_SETTLE_MS, renderMonitorReportHtml } from '../../monitoring/index.js'
import type { PipelineRun } from '../../orchestration/index.js'
import { createRolloutStore } from '../../serving/index.js'
import type { CliIo } from '../global-options.js'
import { formatTable } from '../output.js'
import { DEMO } from './demo-pipeline.js'
import type { DemoContext, DemoRecord } from './run-demo.js'

export interface DemoSummary {
  dataset: string
  champion: { model: string; version: number; test_roc_auc: number | null }
  months: {
    month: number
    predictions: number
    accuracy: number
    versions: Record<string, number>
  }[]
  windows: number
  events: { id: number; type: string; window: number; at_s: number }[]
  retrainings: {
    run: string
    status: string
    trigger: string
    challenger: string | null
    passed: boolean | null
    reasons: string | null
    rollout: string | null
    finished_at_s: number | null
  }[]
  serving_version: number
  accuracy_by_version: Record<string, number>
  first_event_at_s: number | null
  promoted_at_s: number | null
  lead_time_s: number | null
  audit: { ok: boolean; entries: number; problem: string | null }
  report: string
  elapsed_s: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const ACTIVE = new Set(['queued', 'running'])
/** How the summary shows a rollout still watching its canary when the demo ends. */
const WATCHING = 'watching its canary (no traffic is left to judge it by)'

/**
 * Whether the run is only watching a canary: once the replay is over no prediction comes to
 * judge it by, and its watch would just run out its timeout. `ballast server` carries it on.
 */
async function watchingCanary(ctx: DemoContext, run: PipelineRun): Promise<boolean> {
  const deploying = run.steps.some((s) => s.kind === 'deploy' && s.status === 'running')
  const othersDone = run.steps.every(
    (s) => s.kind === 'deploy' || !['pending', 'running'].includes(s.status),
  )
  if (!deploying || !othersDone) return false
  const [rollout] = await createRolloutStore(ctx.runtime.store).list({
    pipelineRun: run.id,
    limit: 1,
  })
  return rollout?.status === 'watching'
}

/** Waits (bounded) for the monitor to evaluate what is due and for retraining runs to end. */
async function settle(ctx: DemoContext, startedAt: number): Promise<PipelineRun[]> {
  const { services } = ctx.runtime
  const deadline = Date.now() + 240_000
  ctx.progress.step('Waiting for the monitor and the retraining loop to finish their work')
  // The last predictions count for windows once they are surely in the log.
  await sleep(DEFAULT_SETTLE_MS + 500)
  let shown = ''
  for (;;) {
    ctx.signal.throwIfAborted()
    const due = await services.monitoring.monitors.dueWindows(DEMO.monitor)
    const runs = await services.orchestration.pipelines.runs(DEMO.pipeline, {
      since: startedAt,
      limit: 20,
    })
    const active = runs.filter((r) => ACTIVE.has(r.status))
    const state = active
      .map((r) => `${r.id.slice(0, 8)}: ${r.steps.map((s) => `${s.step} ${s.status}`).join(', ')}`)
      .join('; ')
    if (state !== shown && state !== '') ctx.progress.note(state)
    shown = state
    if (due === 0 && active.length === 0) return runs
    const watching = await Promise.all(active.map((r) => watchingCanary(ctx, r)))
    if (due === 0 && watching.every(Boolean)) {
      ctx.progress.note(
        'a canary is still watched, and the replay is over: `ballast server` on this home carries the rollout on',
      )
      return runs
    }
    if (Date.now() > deadline) {
      ctx.progress.note(
        'stopped waiting after 4 minutes; the server finishes the rest when it runs',
      )
      return runs
    }
    await sleep(500)
  }
}

/** The loop's outcome, the audit check and the HTML report. */
export async function finishDemo(
  ctx: DemoContext,
  record: DemoRecord,
  dataDir: string,
): Promise<DemoSummary> {
  const { services, store } = ctx.runtime
  const runs = await settle(ctx, record.startedAt)
  const at = (time: number) => Number(((time - record.startedAt) / 1000).toFixed(1))
  // Events of this demo only: those of an earlier one on the same home stay in the store.
  const events = (await services.monitoring.monitors.events({ monitor: DEMO.monitor, limit: 1000 }))
    .filter((e) => e.time >= record.startedAt)
    .reverse()
    .map((e) => ({ id: e.id, type: e.type, window: e.window, at_s: at(e.time) }))
  const results = await services.monitoring.monitors.results(DEMO.monitor)
  const retrainings = runs
    .slice()
    .reverse()
    .map((run) => {
      const step = (name: string) => run.steps.find((s) => s.step === name)
      const train = step('train')
      const evaluate = step('evaluate')
      const rollout = step('rollout')
      return {
        run: run.id,
        status: run.status,
        trigger: run.trigger.detail,
        challenger: (train?.outputs?.model as string | undefined) ?? null,
        passed: (evaluate?.outputs?.passed as boolean | undefined) ?? null,
        reasons: (evaluate?.outputs?.reasons as string | undefined) ?? null,
        rollout:
          rollout?.status === 'skipped'
            ? 'skipped (policy failed)'
            : rollout?.status === 'running'
              ? WATCHING
              : ((rollout?.outputs?.action as string | undefined) ?? rollout?.status ?? null),
        finished_at_s: run.finishedAt === null ? null : at(run.finishedAt),
      }
    })
  const deployment = await services.serving.deployments.get(DEMO.deployment)
  const promoted = retrainings.find((r) => r.rollout === 'promoted')
  const firstEvent = events[0]
  const byVersion: Record<string, { n: number; correct: number }> = {}
  for (const m of record.months) {
    for (const [v, n] of Object.entries(m.byVersion)) {
      const entry = (byVersion[v] ??= { n: 0, correct: 0 })
      entry.n += n
      entry.correct += m.correctByVersion[v] ?? 0
    }
  }
  const audit = await verifyAudit(store.db)
  ctx.progress.step(
    audit.ok
      ? `Audit log verified: ${audit.entries} entries, hash chain intact`
      : `Audit log check FAILED: ${audit.problem?.message}`,
  )

  const latest = results.length > 0 ? await services.monitoring.monitors.window(DEMO.monitor) : null
  const report = path.join(dataDir, 'report.html')
  await mkdir(dataDir, { recursive: true })
  await writeFile(
    report,
    renderMonitorReportHtml({
      monitor: { name: DEMO.monitor, deployment: DEMO.deployment },
      results,
      ...(latest?.drift ? { latestDrift: latest.drift } : {}),
      generatedAt: Date.now(),
    }),
  )
  return {
    dataset: record.dataset,
    champion: {
      model: DEMO.model,
      version: record.champion.version,
      test_roc_auc: record.champion.metrics.test_roc_auc ?? null,
    },
    months: record.months.map((m) => ({
      month: m.month,
      predictions: m.predictions,
      accuracy: m.correct / Math.max(1, m.predictions),
      versions: m.byVersion,
    })),
    windows: results.length,
    events,
    retrainings,
    serving_version: deployment.version,
    accuracy_by_version: Object.fromEntries(
      Object.entries(byVersion).map(([v, e]) => [v, e.correct / Math.max(1, e.n)]),
    ),
    first_event_at_s: firstEvent?.at_s ?? null,
    promoted_at_s: promoted?.finished_at_s ?? null,
    lead_time_s:
      promoted?.finished_at_s != null && firstEvent !== undefined
        ? Number((promoted.finished_at_s - firstEvent.at_s).toFixed(1))
        : null,
    audit: { ok: audit.ok, entries: audit.entries, problem: audit.problem?.message ?? null },
    report,
    elapsed_s: at(Date.now()),
  }
}

const MONTHS = ['', 'January', 'February', 'March', 'April', 'May', 'June']
const fixed = (x: number | null | undefined, digits = 4) => (x == null ? '-' : x.toFixed(digits))

export function printDemoSummary(io: CliIo, s: DemoSummary, home: string): void {
  const out = (line = '') => io.stdout.write(`${line}\n`)
  out()
  out(
    `Champion: ${s.champion.model}/${s.champion.version} trained on ${s.dataset} (test ROC AUC ${fixed(s.champion.test_roc_auc)})`,
  )
  out()
  out(
    formatTable(
      ['month', 'predictions', 'accuracy', 'answered by'],
      s.months.map((m) => [
        MONTHS[m.month],
        m.predictions,
        fixed(m.accuracy),
        Object.entries(m.versions)
          .map(([v, n]) => `v${v} ${n}`)
          .join(', '),
      ]),
    ),
  )
  out()
  const firsts = new Map<string, (typeof s.events)[number]>()
  for (const e of s.events) if (!firsts.has(e.type)) firsts.set(e.type, e)
  out(
    `Monitor: ${s.windows} windows; ` +
      (firsts.size === 0
        ? 'no events'
        : [...firsts.values()]
            .map((e) => `first ${e.type} in window ${e.window} at +${e.at_s} s`)
            .join('; ')),
  )
  if (s.retrainings.length === 0) out('Retraining: none was triggered')
  for (const r of s.retrainings) {
    out(
      `Retraining ${r.run.slice(0, 8)} (${r.trigger}): ${r.status}; challenger ${r.challenger ?? '-'}; ` +
        `policy ${r.passed === null ? '-' : r.passed ? 'passed' : 'failed'}; rollout ${r.rollout ?? '-'}`,
    )
    if (r.reasons !== null) out(`  ${r.reasons}`)
  }
  out(
    `Accuracy by version: ${Object.entries(s.accuracy_by_version)
      .map(([v, a]) => `v${v} ${fixed(a)}`)
      .join(', ')}; now serving v${s.serving_version}`,
  )
  if (s.lead_time_s !== null) {
    out(`Lead time from the first monitor event to the promoted replacement: ${s.lead_time_s} s`)
  }
  out(
    `Audit log: ${s.audit.ok ? `verified, ${s.audit.entries} entries` : `BROKEN: ${s.audit.problem}`}`,
  )
  out(`Report: ${s.report}`)
  out(`Done in ${s.elapsed_s} s. \`npx ballast server --home ${home}\` serves this home as it is.`)
}
