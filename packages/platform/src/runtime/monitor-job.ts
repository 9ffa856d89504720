import { InvalidParameterError } from '@ballast/contracts'
import type { JobContext } from './job-types.js'

/** The job kind that evaluates a monitor's due windows. */
export const MONITOR_JOB = 'monitor'

export interface MonitorJobResult {
  monitor: string
  windows: number[]
  events: { window: number; type: string }[]
}

/** Evaluates the monitor's due windows in order; each is recorded before the next one starts. */
export async function runMonitorJob(ctx: JobContext): Promise<MonitorJobResult> {
  const payload = ctx.payload as { monitor?: unknown }
  if (typeof payload?.monitor !== 'string') {
    throw new InvalidParameterError('Invalid job payload: expected {"monitor": NAME}')
  }
  const name = payload.monitor
  const results = await ctx.services.monitoring.monitors.evaluate(name, {
    signal: ctx.signal,
    onProgress: (done, total, message) => ctx.progress(done, total, message),
  })
  for (const r of results) {
    ctx.log(
      `window ${r.window}: ${r.rows} predictions, ${r.labeled} labelled` +
        (r.drift === null ? '' : `, drift share ${r.drift.share_of_drifted_columns.toFixed(3)}`) +
        (r.events.length === 0 ? '' : `; events: ${r.events.join(', ')}`),
    )
  }
  return {
    monitor: name,
    windows: results.map((r) => r.window),
    events: results.flatMap((r) => r.events.map((type) => ({ window: r.window, type }))),
  }
}
