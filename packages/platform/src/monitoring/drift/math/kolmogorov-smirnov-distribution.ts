/**
 * Survival function of the two-sided one-sample Kolmogorov–Smirnov statistic D_n for finite n,
 * P(D_n > x): scipy's `kstwo.sf`, following the method switch of Simard & L'Ecuyer (2011) the way
 * scipy arranges it (Durbin matrix, Pomeranz recursion, Pelz–Good expansion, Smirnov's one-sided
 * sum), so that results agree with scipy to far better than 1e-6.
 */

const SCALE_EXP = 128
const SCALE_UP = 2 ** SCALE_EXP
const SCALE_DOWN = 2 ** -SCALE_EXP
const LOG_2PI = Math.log(2 * Math.PI)
const SQRT_2PI = Math.sqrt(2 * Math.PI)
const MIN_LOG = -708
const PI2 = Math.PI ** 2
const PI4 = Math.PI ** 4
const PI6 = Math.PI ** 6
const SQRT3 = Math.sqrt(3)
const STIRLING_COEFFS = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417,
  -0.0005952380952380953, 0.0007936507936507937, -0.002777777777777778, 0.08333333333333333,
]
/** Above this n scipy replaces the one-sided sum by an approximation. */
const SMIRNOV_MAX_COMPUTE_N = 1000000
/** log of the smallest normal double, as cephes' MINLOG. */
const CEPHES_MINLOG = -708.3964185322641

const clip01 = (p: number): number => (p < 0 ? 0 : p > 1 ? 1 : p)

function polyval(coeffs: readonly number[], x: number): number {
  let acc = 0
  for (const c of coeffs) acc = acc * x + c
  return acc
}

/** log(n! / n^n) by Stirling's series. */
function logFactorialOverPower(n: number): number {
  const rn = 1 / n
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * polyval(STIRLING_COEFFS, rn / n)
}

/** P(D_n > x), scipy's kstwo.sf(x, n) for integer n ≥ 1. */
export function kolmogorovSmirnovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return NaN
  if (x >= 1) return 0
  if (x <= 0) return 1
  const t = n * x
  if (t <= 1) {
    // Ruben–Gambino: exact for 1/(2n) ≤ x ≤ 1/n.
    if (t <= 0.5) return 1
    let prob: number
    if (n <= 140) {
      prob = 1
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1)
    } else {
      prob = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1))
    }
    return clip01(1 - prob)
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n)
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x))
  const nxSquared = t * x
  if (n <= 140) {
    if (nxSquared <= 0.754693) return clip01(1 - clip01(durbinCdf(n, x)))
    if (nxSquared <= 4) return clip01(1 - clip01(pomeranzCdf(n, x)))
    return clip01(2 * smirnovSf(n, x))
  }
  if (nxSquared >= 370) return 0
  if (nxSquared >= 2.2) return clip01(2 * smirnovSf(n, x))
  const cdf = n <= 100000 && n * x ** 1.5 <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x)
  return clip01(1 - cdf)
}

/** Durbin's matrix method in Marsaglia–Tsang–Wang form: P(D_n ≤ d). */
function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1
  const nd = n * d
  if (nd <= 0.5) return 0
  const k = Math.ceil(nd)
  const h = k - nd
  const m = 2 * k - 1
  let H: Float64Array = new Float64Array(m * m)
  const v = new Float64Array(m)
  const w = new Float64Array(m)
  let fac = 1
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac
    fac /= j
    v[j - 1] = (1 - h ** j) * fac
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m
  v[m - 1] = (1 + tt) * fac
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1] as number
  }
  for (let r = 0; r < m; r++) H[r * m] = v[r] as number
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c] as number

  let power: Float64Array = identity(m)
  let nn = n
  let exponent = 0
  let hExponent = 0
  const diag = (k - 1) * m + (k - 1)
  while (nn > 0) {
    if (nn % 2) {
      power = matmul(power, H, m)
      exponent += hExponent
    }
    H = matmul(H, H, m)
    hExponent *= 2
    if (Math.abs(H[diag] as number) > SCALE_UP) {
      for (let i = 0; i < H.length; i++) H[i] = (H[i] as number) / SCALE_UP
      hExponent += SCALE_EXP
    }
    nn = Math.floor(nn / 2)
  }
  let p = power[diag] as number
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP
      exponent -= SCALE_EXP
    }
  }
  return exponent !== 0 ? p * 2 ** exponent : p
}

function identity(m: number): Float64Array {
  const out = new Float64Array(m * m)
  for (let i = 0; i < m; i++) out[i * m + i] = 1
  return out
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m)
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l] as number
      if (ail === 0) continue
      for (let j = 0; j < m; j++)
        out[i * m + j] = (out[i * m + j] as number) + ail * (b[l * m + j] as number)
    }
  }
  return out
}

function pomeranzBounds(
  i: number,
  n: number,
  ll: number,
  ceilf: number,
  roundf: number,
): [number, number] {
  let j1: number
  let j2: number
  if (i === 0) {
    j1 = -ll - ceilf - 1
    j2 = ll + ceilf - 1
  } else {
    const half = Math.floor((i + 1) / 2)
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1
        j2 = n + ll + ceilf - 1
      } else {
        j1 = half - 1 - ll - roundf - 1
        j2 = half + ll - 1 + ceilf - 1
      }
    } else {
      j1 = half - 1 - ll - 1
      j2 = half + ll + roundf - 1
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)]
}

/** Pomeranz's recursion: P(D_n ≤ x). */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x
  const ll = Math.floor(t)
  const f = t - ll
  const g = Math.min(f, 1 - f)
  const ceilf = f > 0 ? 1 : 0
  const roundf = f > 0.5 ? 1 : 0
  const npwrs = 2 * (ll + 1)
  const gpower = new Float64Array(npwrs)
  const twogpower = new Float64Array(npwrs)
  const onem2gpower = new Float64Array(npwrs)
  gpower[0] = twogpower[0] = onem2gpower[0] = 1
  const gn = g / n
  const twoGn = (2 * g) / n
  const oneMinusTwoGn = (1 - 2 * g) / n
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = ((gpower[m - 1] as number) * gn) / m
    twogpower[m] = ((twogpower[m - 1] as number) * twoGn) / m
    onem2gpower[m] = ((onem2gpower[m - 1] as number) * oneMinusTwoGn) / m
  }
  let V0 = new Float64Array(npwrs)
  let V1 = new Float64Array(npwrs)
  V1[0] = 1
  let V0s = 0
  let V1s = 0
  let exponent = 0
  let [j1, j2] = pomeranzBounds(0, n, ll, ceilf, roundf)
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1
    const swap = V0
    V0 = V1
    V1 = swap
    const swapStart = V0s
    V0s = V1s
    V1s = swapStart
    V1.fill(0)
    ;[j1, j2] = pomeranzBounds(i, n, ll, ceilf, roundf)
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower
    const ln2 = j2 - k1 + 1
    if (ln2 > 0) {
      const convStart = j1 - k1
      const convLen = j2 - j1 + 1
      const base = k1 - V0s
      // Only the needed entries of the full convolution of V0[base..base+ln2) with pwrs[0..ln2).
      let max = 0
      for (let c = 0; c < convLen; c++) {
        const idx = convStart + c
        let acc = 0
        for (let a = Math.max(0, idx - ln2 + 1); a <= Math.min(idx, ln2 - 1); a++) {
          acc += (V0[base + a] ?? 0) * (pwrs[idx - a] as number)
        }
        V1[c] = acc
        if (acc > max) max = acc
      }
      if (max > 0 && max < SCALE_DOWN) {
        for (let c = 0; c < V1.length; c++) V1[c] = (V1[c] as number) * SCALE_UP
        exponent -= SCALE_EXP
      }
      V1s = V0s + j1 - k1
    }
  }
  let ans = V1[n - V1s] as number
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > SCALE_UP) {
      ans *= SCALE_DOWN
      exponent += SCALE_EXP
    }
    ans *= m
  }
  return exponent !== 0 ? ans * 2 ** exponent : ans
}

/** Pelz–Good asymptotic expansion: P(D_n ≤ x). */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const z = Math.sqrt(n) * x
  const z2 = z * z
  const z3 = z2 * z
  const z4 = z2 * z2
  const z6 = z4 * z2
  const qlog = -PI2 / 8 / z2
  if (qlog < MIN_LOG) return 0
  let q = Math.exp(qlog)
  const k1a = -z2
  const k1b = PI2 / 4
  const k2a = 6 * z6 + 2 * z4
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4
  const k2c = (PI4 * (1 - 2 * z2)) / 16
  const k3d = (PI6 * (5 - 30 * z2)) / 64
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4
  const k3a = -30 * z6 - 90 * z ** 8
  const K = [0, 0, 0, 0]
  const maxk = Math.ceil((16 * z) / Math.PI)
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1
    const m2 = m * m
    const m4 = m2 * m2
    const m6 = m4 * m2
    const qpower = q ** (8 * k)
    const coeffs = [
      1,
      k1a + k1b * m2,
      k2a + k2b * m2 + k2c * m4,
      k3a + k3b * m2 + k3c * m4 + k3d * m6,
    ]
    for (let i = 0; i < 4; i++) K[i] = (K[i] as number) * qpower + (coeffs[i] as number)
  }
  const denominators = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10]
  for (let i = 0; i < 4; i++) K[i] = ((K[i] as number) * q * SQRT_2PI) / (denominators[i] as number)
  q = Math.exp(-PI2 / 2 / z2)
  const sqrt3z = SQRT3 * z
  let k2extra = 0
  let k3extra = 0
  for (let k = maxk; k > 0; k--) {
    const ksq = k * k
    const qp = q ** ksq
    k2extra += ksq * qp
    const kpi = Math.PI * k
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * ksq * qp
  }
  K[2] = (K[2] as number) + (k2extra * PI2 * SQRT_2PI) / (-36 * z3)
  K[3] = (K[3] as number) + (k3extra * PI2 * SQRT_2PI) / (216 * z6)
  let sum = 0
  for (let i = 0; i < 4; i++) sum += (K[i] as number) / n ** (i / 2)
  return sum
}

/**
 * One-sided Smirnov survival P(D_n^+ > x) by the Birnbaum–Tingey sum, for 1/n < x < 1 − 1/n
 * (the range the two-sided function calls it in). Terms are summed in log space.
 */
export function smirnovSf(n: number, x: number): number {
  if (n === 1) return x
  if (-2 * n * x * x < CEPHES_MINLOG) return 0
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n
    return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp)
  }
  const nx = n * x
  const nxFloor = Math.floor(nx)
  const nTerms = n - nxFloor
  const logX = Math.log(x)
  let logBinom = 0
  let sum = 0
  for (let v = 0; v < nTerms; v++) {
    const upper = (n - v) / n - x
    if (upper <= 0) break
    const term = Math.exp(
      logBinom + logX + (v - 1) * Math.log(x + v / n) + (n - v) * Math.log(upper),
    )
    sum += term
    if (term === 0 && v > n / 2) break
    if (term > 0 && 4 * (nTerms - v) * term < Number.EPSILON * sum && v !== nTerms - 1) break
    logBinom += Math.log((n - v) / (v + 1))
  }
  return clip01(sum)
}
