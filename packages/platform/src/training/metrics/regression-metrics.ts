import { InvalidParameterError } from '@ballast/contracts'

function check(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, what: string): void {
  if (yTrue.length !== yPred.length || yTrue.length === 0) {
    throw new InvalidParameterError(
      `${what}: ${yTrue.length} labels and ${yPred.length} predictions; need equal, non-zero counts`,
    )
  }
}

export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred, 'rmse')
  let s = 0
  for (let i = 0; i < yTrue.length; i++) s += (yTrue[i]! - yPred[i]!) ** 2
  return Math.sqrt(s / yTrue.length)
}

export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred, 'mae')
  let s = 0
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i]! - yPred[i]!)
  return s / yTrue.length
}

/** Coefficient of determination 1 − SS_res/SS_tot; NaN when the labels are constant. */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred, 'r2')
  let mean = 0
  for (let i = 0; i < yTrue.length; i++) mean += yTrue[i]!
  mean /= yTrue.length
  let res = 0
  let tot = 0
  for (let i = 0; i < yTrue.length; i++) {
    res += (yTrue[i]! - yPred[i]!) ** 2
    tot += (yTrue[i]! - mean) ** 2
  }
  return tot === 0 ? Number.NaN : 1 - res / tot
}
