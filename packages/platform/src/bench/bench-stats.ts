/** Small helpers for benchmark scripts: medians and percentiles of repeated measurements. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = (p / 100) * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo)
}

export const median = (samples: readonly number[]): number => percentile(samples, 50)

export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - start) / 1e6
}

export function fmt(value: number, digits = 1): string {
  return value.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  })
}

/** One result line: the figure, the goal, and whether it was met. */
export function report(label: string, value: string, goal: string, met: boolean): void {
  console.log(`${met ? 'PASS' : 'MISS'}  ${label.padEnd(58)} ${value.padStart(16)}   goal ${goal}`)
}
