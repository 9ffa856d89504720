/**
 * Axis ticks at "nice" values (1, 2 or 5 × 10^k) covering [min, max], about `target` of them.
 * Returns the ticks and the rounded-out domain they span.
 */
export function niceTicks(
  min: number,
  max: number,
  target = 5,
): { ticks: number[]; lo: number; hi: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max))
    throw new RangeError('niceTicks needs finite bounds')
  if (min > max) [min, max] = [max, min]
  if (min === max) {
    // One value: widen by one unit of its magnitude so that the line sits mid-chart.
    const pad = min === 0 ? 1 : 10 ** Math.floor(Math.log10(Math.abs(min)))
    min -= pad
    max += pad
  }
  const raw = (max - min) / Math.max(1, target)
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude
  const lo = Math.floor(min / step) * step
  const hi = Math.ceil(max / step) * step
  const ticks: number[] = []
  // Rounded through toPrecision so that 0.1 + 0.2 style drift does not reach the labels.
  for (let i = 0; lo + i * step <= hi + step / 2; i++)
    ticks.push(Number((lo + i * step).toPrecision(12)))
  return { ticks, lo, hi }
}

export function formatTick(value: number): string {
  if (value === 0) return '0'
  const abs = Math.abs(value)
  if (abs >= 1e6 || abs < 1e-3) return value.toExponential(1)
  return String(Number(value.toPrecision(6)))
}
