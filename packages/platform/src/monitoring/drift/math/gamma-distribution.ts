import { logGamma } from './special-functions.js'

const EPSILON = 1e-16
const MAX_ITERATIONS = 100_000

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a), for a > 0, x ≥ 0. */
export function regularizedGammaQ(a: number, x: number): number {
  if (Number.isNaN(x) || Number.isNaN(a)) return Number.NaN
  if (x <= 0) return 1
  if (x === Infinity) return 0
  const logPrefix = a * Math.log(x) - x - logGamma(a)
  // The series converges fast below a + 1, the continued fraction above it.
  if (x < a + 1) return 1 - Math.exp(logPrefix) * lowerSeries(a, x)
  return Math.exp(logPrefix) * upperContinuedFraction(a, x)
}

function lowerSeries(a: number, x: number): number {
  let term = 1 / a
  let sum = term
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n)
    sum += term
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break
  }
  return sum
}

// Modified Lentz evaluation of the continued fraction for Γ(a, x).
function upperContinuedFraction(a: number, x: number): number {
  const tiny = 1e-300
  let b = x + 1 - a
  let c = 1 / tiny
  let d = 1 / b
  let h = d
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < tiny) d = tiny
    c = b + an / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < EPSILON) break
  }
  return h
}

/** P(X > x) for a chi-square variable with `dof` degrees of freedom (scipy's chi2.sf). */
export function chiSquareSf(x: number, dof: number): number {
  if (dof <= 0) return Number.NaN
  return regularizedGammaQ(dof / 2, x / 2)
}

/** Two-sided tail of the standard normal: P(|Z| ≥ |z|) = erfc(|z| / √2). */
export function normalTwoSidedP(z: number): number {
  if (Number.isNaN(z)) return Number.NaN
  const half = (z * z) / 2
  return regularizedGammaQ(0.5, half)
}
