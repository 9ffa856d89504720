import { InvalidParameterError } from '@ballast/contracts'
import type { DriftTable, DriftTableColumn } from '../drift/drift-table.js'
import type { QualityCheck, QualityResult, QualityThresholds } from '../monitors/monitor-types.js'

export interface DataQualityInput {
  readonly reference: DriftTable
  readonly current: DriftTable
  /** The model's inputs, in the order the checks are reported. */
  readonly expected: readonly { name: string; type: 'num' | 'cat' }[]
  /** Rows whose logged value had the wrong type, counted while the log was read. */
  readonly schemaViolations?: Readonly<Record<string, { rows: number; example?: string }>>
  readonly thresholds: QualityThresholds
}

type Values = DriftTableColumn['values']

// The missing-share check compares a difference of two shares, whose rounding can land a hair
// above the tolerance when the difference equals it exactly; equal must pass.
const ROUNDING = 1e-12
const NEW_VALUES_SHOWN = 5

/**
 * Checks one window of logged inputs against the training data, column by column: missing
 * values, categories never seen, numbers outside the trained range, and values of the wrong
 * type. A check that cannot be computed (no rows in the window, nothing in the reference to
 * compare with) is left out rather than failed.
 */
export function checkDataQuality(input: DataQualityInput): QualityResult {
  const { thresholds } = input
  for (const key of ['missingShare', 'newCategoryShare', 'outOfRangeShare'] as const) {
    const value = thresholds[key]
    if (!(value >= 0 && value <= 1))
      throw new InvalidParameterError(
        `quality threshold ${key} must be between 0 and 1, got ${value}`,
      )
  }
  const reference = new Map(input.reference.map((c) => [c.name, c.values]))
  const current = new Map(input.current.map((c) => [c.name, c.values]))
  const rows = input.current[0]?.values.length ?? 0
  const checks: QualityCheck[] = []
  if (rows === 0) return { checks, failed: 0 }

  for (const { name, type } of input.expected) {
    const cur = current.get(name)
    const ref = reference.get(name)
    const violation = input.schemaViolations?.[name]
    if (cur === undefined) {
      checks.push(schemaCheck(name, rows, `column is missing; expected ${noun(type)}`))
      continue
    }
    const curMissing = missingCount(cur)
    if (ref !== undefined && ref.length > 0 && cur.length > 0)
      checks.push(
        missingCheck(name, curMissing / cur.length, missingCount(ref) / ref.length, thresholds),
      )
    const present = cur.length - curMissing
    if (ref !== undefined && present > 0) {
      const check =
        type === 'cat'
          ? newCategoriesCheck(name, ref, cur, present, thresholds.newCategoryShare)
          : outOfRangeCheck(name, ref, cur, present, thresholds.outOfRangeShare)
      if (check !== null) checks.push(check)
    }
    // Text where numbers are expected cannot be compared at all: every such row is a violation.
    const textRows = type === 'num' && !(cur instanceof Float64Array) ? present : 0
    const wrong = (violation?.rows ?? 0) + textRows
    const example = violation?.example === undefined ? '' : `, e.g. ${violation.example}`
    checks.push(
      schemaCheck(
        name,
        wrong,
        wrong === 0
          ? `expected ${noun(type)}`
          : `expected ${noun(type)}; ${wrong} of ${cur.length} rows held other values${example}`,
      ),
    )
  }
  return { checks, failed: checks.filter((c) => c.failed).length }
}

function missingCheck(
  column: string,
  current: number,
  reference: number,
  thresholds: QualityThresholds,
): QualityCheck {
  return {
    column,
    check: 'missing_share',
    value: current,
    threshold: reference + thresholds.missingShare,
    failed: current - reference - thresholds.missingShare > ROUNDING,
    detail: `missing in ${percent(current)} of rows (reference ${percent(reference)})`,
  }
}

function newCategoriesCheck(
  column: string,
  ref: Values,
  cur: Values,
  present: number,
  threshold: number,
): QualityCheck | null {
  const known = referenceCategories(ref)
  if (known.strings.size === 0) return null
  // Only values outside the reference enter the map, so a healthy window allocates nothing.
  const unseen = new Map<string | number, number>()
  let count = 0
  if (cur instanceof Float64Array) {
    for (let i = 0; i < cur.length; i++) {
      const v = cur[i]!
      if (v !== v || known.numbers.has(v)) continue
      count++
      unseen.set(v, (unseen.get(v) ?? 0) + 1)
    }
  } else {
    for (let i = 0; i < cur.length; i++) {
      const v = cur[i]
      if (v == null || known.strings.has(v)) continue
      count++
      unseen.set(v, (unseen.get(v) ?? 0) + 1)
    }
  }
  const value = count / present
  const shown = [...unseen]
    .map(([v, n]) => [String(v), n] as const)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, NEW_VALUES_SHOWN)
    .map(([v, n]) => `${JSON.stringify(v)} (${n})`)
  return {
    column,
    check: 'new_categories',
    value,
    threshold,
    failed: value > threshold,
    detail:
      count === 0
        ? `no categories outside the reference's ${known.strings.size}`
        : `${count} of ${present} rows hold ${unseen.size} categories not in the reference: ${shown.join(', ')}`,
  }
}

function outOfRangeCheck(
  column: string,
  ref: Values,
  cur: Values,
  present: number,
  threshold: number,
): QualityCheck | null {
  if (!(ref instanceof Float64Array) || !(cur instanceof Float64Array)) return null
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < ref.length; i++) {
    const v = ref[i]!
    if (!Number.isFinite(v)) continue
    if (v < min) min = v
    if (v > max) max = v
  }
  if (min > max) return null
  let outside = 0
  // NaN fails both comparisons, so missing rows never count; ±Infinity always does.
  for (let i = 0; i < cur.length; i++) {
    const v = cur[i]!
    if (v < min || v > max) outside++
  }
  const value = outside / present
  return {
    column,
    check: 'out_of_range',
    value,
    threshold,
    failed: value > threshold,
    detail: `${outside} of ${present} rows outside the reference range [${num(min)}, ${num(max)}]`,
  }
}

function schemaCheck(column: string, rows: number, detail: string): QualityCheck {
  return { column, check: 'schema', value: rows, threshold: 0, failed: rows > 0, detail }
}

function missingCount(values: Values): number {
  let n = 0
  if (values instanceof Float64Array) {
    for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) n++
  } else {
    for (let i = 0; i < values.length; i++) if (values[i] == null) n++
  }
  return n
}

/**
 * The reference's categories, both as text and as numbers, so that a window logged as numbers
 * is looked up without turning every row into a string.
 */
function referenceCategories(values: Values): { strings: Set<string>; numbers: Set<number> } {
  const strings = new Set<string>()
  const numbers = new Set<number>()
  if (values instanceof Float64Array) {
    for (let i = 0; i < values.length; i++) if (values[i] === values[i]) numbers.add(values[i]!)
    for (const v of numbers) strings.add(String(v))
  } else {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]
      if (v != null) strings.add(v)
    }
    for (const s of strings) if (String(Number(s)) === s) numbers.add(Number(s))
  }
  return { strings, numbers }
}

function noun(type: 'num' | 'cat'): string {
  return type === 'num' ? 'numbers' : 'text'
}

function percent(share: number): string {
  return `${Number((share * 100).toPrecision(4))}%`
}

function num(value: number): string {
  return String(Number(value.toPrecision(10)))
}
