import { InvalidParameterError } from '@ballast/contracts'

/**
 * Solves A x = b for a symmetric positive-definite p × p matrix A (row-major) by Cholesky
 * factorization A = L Lᵀ; A and b are left untouched.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p)
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j]!
      for (let k = 0; k < j; k++) s -= l[i * p + k]! * l[j * p + k]!
      if (i === j) {
        if (!(s > 0)) {
          throw new InvalidParameterError(
            `matrix is not positive definite (pivot ${i} is ${s}); increase lambda`,
          )
        }
        l[i * p + i] = Math.sqrt(s)
      } else l[i * p + j] = s / l[j * p + j]!
    }
  }
  const y = new Float64Array(p)
  for (let i = 0; i < p; i++) {
    let s = b[i]!
    for (let k = 0; k < i; k++) s -= l[i * p + k]! * y[k]!
    y[i] = s / l[i * p + i]!
  }
  const x = new Float64Array(p)
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i]!
    for (let k = i + 1; k < p; k++) s -= l[k * p + i]! * x[k]!
    x[i] = s / l[i * p + i]!
  }
  return x
}
