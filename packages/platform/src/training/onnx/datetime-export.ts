import { InvalidParameterError } from '@ballast/contracts'
import { attr } from './onnx-builder.js'
import type { OnnxGraphBuilder } from './onnx-builder.js'

/**
 * Parts of a UTC date-time: calendar year, month 1–12, day of month 1–31, day of week 0 = Monday
 * … 6 = Sunday (ISO order, as pandas' `dayofweek`; DuckDB's `dayofweek` counts from Sunday), hour
 * 0–23.
 */
export const DATE_PARTS = ['year', 'month', 'day', 'dayofweek', 'hour'] as const
export type DatePart = (typeof DATE_PARTS)[number]

/** The INT64 fed for a missing date-time (INT64 min); its parts are NaN. */
export const MISSING_DATETIME = -(2n ** 63n)

/** JavaScript's Date range, ±8.64e15 ms; values outside it count as missing. */
const MAX_EPOCH_MS = 8_640_000_000_000_000
const MS_PER_DAY = 86_400_000
const MS_PER_HOUR = 3_600_000

/**
 * Emits the graph turning an INT64 [N, 1] of epoch milliseconds into a FLOAT [N, parts.length]
 * of date parts. Integer arithmetic only: floor division as (a - Mod(a, b)) / b, since ONNX Div
 * truncates toward zero while Mod (fmod = 0) takes the divisor's sign; then Howard Hinnant's
 * civil_from_days, which holds for any day count. Returns the output's value name.
 */
export function addDatetimeParts(
  builder: OnnxGraphBuilder,
  input: string,
  output: string,
  parts: readonly DatePart[],
): string {
  for (const part of parts) {
    if (!DATE_PARTS.includes(part)) {
      throw new InvalidParameterError(
        `date part '${String(part)}' of '${input}' must be one of ${DATE_PARTS.join(', ')}`,
      )
    }
  }
  let count = 0
  const constants = new Map<number, string>()
  const constant = (value: number): string => {
    let name = constants.get(value)
    if (name === undefined) {
      name = `${output}_c${constants.size}`
      builder.initializer({ name, elemType: 'int64', dims: [], values: [value] })
      constants.set(value, name)
    }
    return name
  }
  const op = (opType: string, a: string, b: string | number): string => {
    const out = `${output}_${count++}`
    const right = typeof b === 'number' ? constant(b) : b
    builder.node({ opType, inputs: [a, right], outputs: [out] })
    return out
  }
  const floorDiv = (a: string, b: number): { quotient: string; remainder: string } => {
    const remainder = op('Mod', a, b)
    return { quotient: op('Div', op('Sub', a, remainder), b), remainder }
  }

  const { quotient: days, remainder: msOfDay } = floorDiv(input, MS_PER_DAY)
  // civil_from_days: shift the epoch to 0000-03-01 so leap days fall at the end of a year.
  const { quotient: era, remainder: doe } = floorDiv(op('Add', days, 719_468), 146_097)
  const yoe = op(
    'Div',
    op(
      'Sub',
      op('Add', op('Sub', doe, op('Div', doe, 1460)), op('Div', doe, 36_524)),
      op('Div', doe, 146_096),
    ),
    365,
  )
  const doy = op(
    'Sub',
    doe,
    op('Sub', op('Add', op('Mul', yoe, 365), op('Div', yoe, 4)), op('Div', yoe, 100)),
  )
  const mp = op('Div', op('Add', op('Mul', doy, 5), 2), 153)
  const computed: Record<DatePart, () => string> = {
    // January and February (mp 10, 11) belong to the next civil year.
    year: () => op('Add', op('Add', yoe, op('Mul', era, 400)), op('Div', mp, 10)),
    month: () => op('Add', op('Mod', op('Add', mp, 2), 12), 1),
    day: () => op('Add', op('Sub', doy, op('Div', op('Add', op('Mul', mp, 153), 2), 5)), 1),
    // 1970-01-01 was a Thursday (3 with Monday = 0).
    dayofweek: () => op('Mod', op('Add', days, 3), 7),
    hour: () => op('Div', msOfDay, MS_PER_HOUR),
  }
  const floats = parts.map((part) => {
    const out = `${output}_${part}`
    builder.node({
      opType: 'Cast',
      inputs: [computed[part]()],
      outputs: [out],
      attributes: { to: attr.int(1) },
    })
    return out
  })
  const joined = `${output}_joined`
  builder.node({
    opType: 'Concat',
    inputs: floats,
    outputs: [joined],
    attributes: { axis: attr.int(1) },
  })
  const missing = `${output}_missing`
  builder.node({
    opType: 'Or',
    inputs: [op('Less', input, -MAX_EPOCH_MS), op('Greater', input, MAX_EPOCH_MS)],
    outputs: [missing],
  })
  const nan = `${output}_nan`
  builder.initializer({ name: nan, elemType: 'float', dims: [], values: [Number.NaN] })
  builder.node({ opType: 'Where', inputs: [missing, nan, joined], outputs: [output] })
  return output
}

/**
 * The same parts in JavaScript, from epoch milliseconds (NaN, or outside Date's range, gives
 * NaN parts); arithmetic as in the graph, so both agree on every date.
 */
export function datePartsOf(ms: number, out: Record<DatePart, number>): void {
  if (!(Math.abs(ms) <= MAX_EPOCH_MS)) {
    for (const part of DATE_PARTS) out[part] = Number.NaN
    return
  }
  const t = Math.floor(ms)
  const days = Math.floor(t / MS_PER_DAY)
  const msOfDay = t - days * MS_PER_DAY
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.trunc(
    (doe - Math.trunc(doe / 1460) + Math.trunc(doe / 36_524) - Math.trunc(doe / 146_096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.trunc(yoe / 4) - Math.trunc(yoe / 100))
  const mp = Math.trunc((5 * doy + 2) / 153)
  out.year = yoe + era * 400 + (mp >= 10 ? 1 : 0)
  out.month = ((mp + 2) % 12) + 1
  out.day = doy - Math.trunc((153 * mp + 2) / 5) + 1
  out.dayofweek = (((days + 3) % 7) + 7) % 7
  out.hour = Math.trunc(msOfDay / MS_PER_HOUR)
}
