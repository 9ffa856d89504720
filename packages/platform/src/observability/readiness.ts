import { isAppError } from '@ballast/contracts'
import type { Logger } from 'pino'

export type ReadinessResult = { ready: true } | { ready: false; reason: string }

/** A readiness check resolves when the process can serve; its AppError messages are shown. */
export type ReadinessCheck = () => Promise<void>

export const READINESS_TIMEOUT_MS = 2_000

/**
 * Runs a readiness check with a deadline. The reason shown to the caller is the check's own
 * AppError message or a fixed sentence: `/health/ready` is public, so driver errors (which may
 * name hosts and users) go to the log only.
 */
export async function checkReadiness(
  check: ReadinessCheck,
  options: { timeoutMs?: number; logger?: Logger } = {},
): Promise<ReadinessResult> {
  const timeoutMs = options.timeoutMs ?? READINESS_TIMEOUT_MS
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
    timer.unref()
  })
  try {
    const outcome = await Promise.race([check().then(() => 'ok' as const), deadline])
    if (outcome === 'ok') return { ready: true }
    options.logger?.warn({ timeoutMs }, 'readiness check timed out')
    return { ready: false, reason: `readiness check did not finish within ${timeoutMs} ms` }
  } catch (error) {
    options.logger?.warn({ err: error }, 'readiness check failed')
    return {
      ready: false,
      reason: isAppError(error) ? error.message : 'readiness check failed; see the server log',
    }
  } finally {
    clearTimeout(timer)
  }
}
