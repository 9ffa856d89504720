/**
 * p-values of the two-sample Cramér–von Mises statistic, as Evidently computes them (its own port
 * of scipy's cramervonmises_2samp): the exact null distribution for small samples and the limiting
 * one-sample distribution otherwise.
 */

/** Python's floor division for doubles (floor of the exact quotient, via the remainder). */
function floorDiv(a: number, b: number): number {
  let r = a % b
  if (r !== 0 && r < 0 !== b < 0) r += b
  return (a - r) / b
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b]
  return a
}

/**
 * Exact P(U ≥ u) for sample sizes m, n (Xiao, Gordon & Yakovlev 2006, with Anderson 1962's
 * relation between U and T): frequency tables of the lattice-path statistic, one per column.
 */
export function cvmExactPValue(u: number, m: number, n: number): number {
  const lcm = (m / gcd(m, n)) * n
  const a = lcm / m
  const b = lcm / n
  const mn = m * n
  const zeta = floorDiv(lcm ** 2 * (m + n) * (6 * u - mn * (4 * mn - 1)), 6 * mn ** 2)
  let combinations = 1
  for (let i = 1; i <= m; i++) combinations = (combinations * (n + i)) / i
  let gs: Map<number, number>[] = [new Map([[0, 1]])]
  for (let v = 1; v <= m; v++) gs.push(new Map())
  for (let uu = 0; uu <= n; uu++) {
    const next: Map<number, number>[] = []
    let tmp = new Map<number, number>()
    for (let v = 0; v < gs.length; v++) {
      const merged = new Map(tmp)
      for (const [value, freq] of gs[v] as Map<number, number>) {
        merged.set(value, (merged.get(value) ?? 0) + freq)
      }
      const step = (a * v - b * uu) ** 2
      tmp = new Map()
      for (const [value, freq] of merged) tmp.set(value + step, freq)
      next.push(tmp)
    }
    gs = next
  }
  let tail = 0
  for (const [value, freq] of gs[m] as Map<number, number>) if (value >= zeta) tail += freq
  return tail / combinations
}

/**
 * CDF of the limiting Cramér–von Mises distribution (Csörgő & Faraway 1996, eq. 1.2), summing
 * terms until one falls below 1e-7 as Evidently and scipy do.
 */
export function cvmLimitCdf(x: number): number {
  let total = 0
  // Γ(k + ½)/Γ(k + 1), updated by its recurrence.
  let gammaRatio = Math.sqrt(Math.PI)
  for (let k = 0; k < 100000; k++) {
    const y = 4 * k + 1
    const q = (y * y) / (16 * x)
    const term = (gammaRatio / (Math.PI ** 1.5 * Math.sqrt(x))) * Math.sqrt(y) * scaledBesselK14(q)
    total += term
    if (Math.abs(term) < 1e-7) break
    gammaRatio *= (k + 0.5) / (k + 1)
  }
  return total
}

/**
 * e^(−q)·K_{1/4}(q) = ∫₀^∞ exp(−q(1 + cosh t))·cosh(t/4) dt. The trapezoid rule converges
 * geometrically here (analytic integrand, double-exponential decay): step 0.05 is far below 1e-15.
 */
export function scaledBesselK14(q: number): number {
  const step = 0.05
  const peak = -2 * q
  let sum = 0.5 * Math.exp(peak)
  for (let i = 1; i < 1e6; i++) {
    const t = i * step
    const decay = -q * (1 + Math.cosh(t))
    sum += Math.exp(decay) * Math.cosh(t / 4)
    if (decay + t / 4 < peak - 45) break
  }
  return sum * step
}
