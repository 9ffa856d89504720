/**
 * Limited-memory BFGS (Nocedal & Wright, algorithm 7.4) with a backtracking Armijo line search.
 * `evaluate` returns f(x) and writes ∇f(x) into grad. Stops when ‖∇f‖∞ <= tolerance.
 */
export interface LbfgsResult {
  x: Float64Array
  value: number
  iterations: number
  converged: boolean
}

export function minimizeLbfgs(
  evaluate: (x: Float64Array, grad: Float64Array) => number,
  x0: Float64Array,
  options: { tolerance: number; maxIterations: number; memory?: number },
): LbfgsResult {
  const d = x0.length
  const m = options.memory ?? 10
  const x = Float64Array.from(x0)
  const g = new Float64Array(d)
  let fx = evaluate(x, g)
  const s: Float64Array[] = []
  const y: Float64Array[] = []
  const rho: number[] = []
  const alpha = new Float64Array(m)
  const dir = new Float64Array(d)
  const xNew = new Float64Array(d)
  const gNew = new Float64Array(d)
  const norm = (v: Float64Array): number => v.reduce((a, b) => Math.max(a, Math.abs(b)), 0)
  const dot = (a: Float64Array, b: Float64Array): number => {
    let t = 0
    for (let i = 0; i < d; i++) t += a[i]! * b[i]!
    return t
  }
  for (let it = 0; it < options.maxIterations; it++) {
    if (norm(g) <= options.tolerance) return { x, value: fx, iterations: it, converged: true }
    // Two-loop recursion: dir = −H·g.
    for (let i = 0; i < d; i++) dir[i] = -g[i]!
    for (let k = s.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dot(s[k]!, dir)
      for (let i = 0; i < d; i++) dir[i]! -= alpha[k]! * y[k]![i]!
    }
    const last = s.length - 1
    const gamma =
      last >= 0 ? dot(s[last]!, y[last]!) / dot(y[last]!, y[last]!) : 1 / Math.max(1, norm(g))
    for (let i = 0; i < d; i++) dir[i]! *= gamma
    for (let k = 0; k < s.length; k++) {
      const beta = rho[k]! * dot(y[k]!, dir)
      for (let i = 0; i < d; i++) dir[i]! += s[k]![i]! * (alpha[k]! - beta)
    }
    let slope = dot(g, dir)
    if (!(slope < 0)) {
      // Not a descent direction (curvature lost): restart from steepest descent.
      s.length = y.length = rho.length = 0
      for (let i = 0; i < d; i++) dir[i] = -g[i]!
      slope = dot(g, dir)
    }
    let step = 1
    let fNew = Infinity
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < d; i++) xNew[i] = x[i]! + step * dir[i]!
      fNew = evaluate(xNew, gNew)
      if (fNew <= fx + 1e-4 * step * slope) break
      step /= 2
    }
    if (!(fNew <= fx)) return { x, value: fx, iterations: it, converged: false }
    const sk = new Float64Array(d)
    const yk = new Float64Array(d)
    for (let i = 0; i < d; i++) {
      sk[i] = xNew[i]! - x[i]!
      yk[i] = gNew[i]! - g[i]!
    }
    const sy = dot(sk, yk)
    if (sy > 1e-12) {
      if (s.length === m) {
        s.shift()
        y.shift()
        rho.shift()
      }
      s.push(sk)
      y.push(yk)
      rho.push(1 / sy)
    }
    x.set(xNew)
    g.set(gNew)
    fx = fNew
  }
  return {
    x,
    value: fx,
    iterations: options.maxIterations,
    converged: norm(g) <= options.tolerance,
  }
}
