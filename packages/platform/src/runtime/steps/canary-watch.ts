import { setTimeout as sleep } from 'node:timers/promises'
import { type Rollout, labelledAccuracy, readServingStats } from '../../serving/index.js'
import type { Services } from '../services.js'
import type { StepContext } from './step-types.js'
import type { CanaryFigures } from './canary-verdict.js'
import type { CanaryLimits } from './deploy-inputs.js'

export interface WatchClock {
  /** Between looks at the figures (ms). */
  pollMs: number
  now: () => number
}

/** Canary against primary from the rollout's start until `until` (epoch ms). */
export async function measureCanary(
  services: Services,
  rollout: Rollout,
  until: number,
): Promise<CanaryFigures> {
  const db = services.store.db
  const range = { deployment: rollout.deployment, from: rollout.startedAt, to: until + 1 }
  const canary = await readServingStats(db, { ...range, version: rollout.version })
  const primary =
    rollout.fromVersion === null
      ? null
      : await readServingStats(db, { ...range, version: rollout.fromVersion })
  const versions =
    rollout.fromVersion === null ? [rollout.version] : [rollout.version, rollout.fromVersion]
  const accuracy = await labelledAccuracy(services.serving, { ...range, versions })
  const c = accuracy.get(rollout.version)
  const p = rollout.fromVersion === null ? undefined : accuracy.get(rollout.fromVersion)
  return {
    canary_requests: canary.requests,
    canary_predictions: canary.predictions,
    canary_errors: canary.errors,
    canary_error_rate: canary.errorRate,
    canary_p50_ms: canary.p50Ms,
    canary_p99_ms: canary.p99Ms,
    canary_cpu_ms: canary.cpuMs,
    primary_requests: primary?.requests ?? 0,
    primary_error_rate: primary?.errorRate ?? null,
    primary_p99_ms: primary?.p99Ms ?? null,
    primary_cpu_ms: primary?.cpuMs ?? 0,
    canary_labelled: c?.labelled ?? 0,
    canary_accuracy: c?.accuracy ?? null,
    primary_labelled: p?.labelled ?? 0,
    primary_accuracy: p?.accuracy ?? null,
    watched_ms: Math.max(0, until - rollout.startedAt),
  }
}

/**
 * Looks at the canary's figures every `pollMs` until it has answered (or failed) `predictions`
 * records or
 * `durationMs` has passed since the rollout started (a resumed watch keeps the original start).
 * Returns the figures, and `enough` false when the timeout came first.
 */
export async function watchCanary(
  ctx: StepContext,
  rollout: Rollout,
  limits: CanaryLimits,
  clock: WatchClock,
): Promise<{ figures: CanaryFigures; enough: boolean }> {
  const db = ctx.services.store.db
  for (;;) {
    ctx.signal.throwIfAborted()
    const now = clock.now()
    const elapsed = now - rollout.startedAt
    // Failed requests count too: a canary that fails every request must not wait for the timeout.
    const { predictions: answered, errors } = await readServingStats(db, {
      deployment: rollout.deployment,
      version: rollout.version,
      from: rollout.startedAt,
      to: now + 1,
    })
    const predictions = answered + errors
    const reached = limits.predictions !== null && predictions >= limits.predictions
    const lasted = limits.durationMs !== null && elapsed >= limits.durationMs
    if (reached || lasted)
      return { figures: await measureCanary(ctx.services, rollout, now), enough: true }
    if (elapsed >= limits.timeoutMs) {
      return { figures: await measureCanary(ctx.services, rollout, now), enough: false }
    }
    if (limits.predictions !== null) {
      ctx.progress(predictions, limits.predictions, `canary answered ${predictions} predictions`)
    } else {
      ctx.progress(elapsed, limits.durationMs ?? elapsed, 'watching the canary')
    }
    await sleep(clock.pollMs, undefined, { signal: ctx.signal })
  }
}
