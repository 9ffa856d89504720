/**
 * Special functions the drift p-values need, accurate to about 1e-14 relative in the ranges the
 * tests use (scipy's cephes routines are the reference in the tests).
 */

const LANCZOS_G = 607 / 128
const LANCZOS_COEFFS = [
  0.9999999999999971, 57.15623566586292, -59.59796035547549, 14.136097974741746,
  -0.4919138160976202, 3.399464998481189e-5, 4.652362892704858e-5, -9.837447530487956e-5,
  0.0001580887032249125, -0.00021026444172410488, 0.00021743961811521265, -0.0001643181065367639,
  8.441822398385275e-5, -2.6190838401581408e-5, 3.6899182659531625e-6,
]
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI)
const LOG_SQRT_PI = 0.5 * Math.log(Math.PI)
const TINY = 1e-300
const EPS = 1e-16

/** log Γ(x) for x > 0 (Lanczos, Godfrey's coefficients). */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection keeps the series in its accurate range.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  }
  const z = x - 1
  let sum = LANCZOS_COEFFS[0] ?? 1
  for (let i = 1; i < LANCZOS_COEFFS.length; i++) sum += (LANCZOS_COEFFS[i] ?? 0) / (z + i)
  const t = z + LANCZOS_G + 0.5
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}

/** log B(a, b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b)
}

/** Complementary error function, via the regularized upper incomplete gamma Q(1/2, x²). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN
  if (x < 0) return 2 - erfc(-x)
  if (x === Infinity) return 0
  const z = x * x
  if (z < 1.5) return 1 - halfGammaSeries(z)
  return halfGammaContinuedFraction(z)
}

/** P(1/2, z) by its power series (z small). */
function halfGammaSeries(z: number): number {
  let ap = 0.5
  let term = 1 / 0.5
  let sum = term
  for (let n = 0; n < 1000; n++) {
    ap += 1
    term *= z / ap
    sum += term
    if (Math.abs(term) < Math.abs(sum) * EPS) break
  }
  return sum * Math.exp(-z + 0.5 * Math.log(z) - LOG_SQRT_PI)
}

/** Q(1/2, z) by its continued fraction (modified Lentz), z ≥ 1.5. */
function halfGammaContinuedFraction(z: number): number {
  const a = 0.5
  let b = z + 1 - a
  let c = 1 / TINY
  let d = 1 / b
  let h = d
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < TINY) d = TINY
    c = b + an / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < EPS) break
  }
  return Math.exp(-z + a * Math.log(z) - LOG_SQRT_PI) * h
}

/** Standard normal survival function P(Z > z) (scipy's ndtr(-z)). */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2)
}

/**
 * Regularized incomplete beta I_x(a, b); `y` = 1 − x, passed separately so that x near 1 keeps
 * its precision.
 */
export function incompleteBeta(a: number, b: number, x: number, y: number = 1 - x): number {
  if (x <= 0) return 0
  if (y <= 0) return 1
  const logFront = a * Math.log(x) + b * Math.log(y) - logBeta(a, b)
  if (x < (a + 1) / (a + b + 2)) {
    return (Math.exp(logFront) * betaContinuedFraction(a, b, x)) / a
  }
  return 1 - (Math.exp(logFront) * betaContinuedFraction(b, a, y)) / b
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m < 100000; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < EPS) break
  }
  return h
}

/** Two-sided p-value of Student's t: P(|T_df| ≥ |t|). */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t)) return NaN
  const t2 = t * t
  return incompleteBeta(df / 2, 0.5, df / (df + t2), t2 / (df + t2))
}
