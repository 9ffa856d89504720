/**
 * `npm run bench:monitoring`: the default data drift report (Evidently's DataDriftPreset tests).
 * 1. 100,000 reference vs 100,000 current rows × 20 numerical columns (seeded, a few shifted),
 *    written once to .npy files; Ballast's computeDataDrift beside numpy + scipy running the same
 *    default tests on the same files (median of 3 each), and the largest score difference.
 * 2. 1,000,000 vs 1,000,000 rows × 100 columns (80 numerical, 20 categorical): time and peak RSS.
 * The machine may be shared, so a single slow figure is worth a second run before it is believed.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { mulberry32 } from '../monitoring/drift/math/seeded-random.js'
import { type DataDriftReport, type DriftTable, computeDataDrift } from '../monitoring/index.js'
import { fmt, median, report } from './bench-stats.js'
import { readNpyColumns, writeNpyColumns } from './npy-columns.js'
import { scipyDrift } from './scipy-drift.js'

const REPEATS = 3
const SMALL_ROWS = 100_000
const SMALL_COLUMNS = 20
const LARGE_ROWS = 1_000_000
const LARGE_NUMERIC = 80
const LARGE_CATEGORICAL = 20
const MIB = 1024 * 1024

/** How a column is drawn: `shift` moves the current sample (in standard deviations or weights). */
type ColumnKind = 'normal' | 'lognormal' | 'uniform' | 'few-integers' | 'integers'

function numericColumn(kind: ColumnKind, rows: number, shift: number, seed: number): Float64Array {
  const random = mulberry32(seed)
  const out = new Float64Array(rows)
  for (let i = 0; i < rows; i++) {
    const u = random()
    if (kind === 'uniform') out[i] = u * (1 + shift)
    else if (kind === 'few-integers') out[i] = Math.min(4, Math.floor(5 * u ** (1 + shift)))
    else if (kind === 'integers') out[i] = Math.floor(100 * u ** (1 + shift))
    else {
      // Box-Muller: one normal draw per row is enough here.
      const z = Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * random())
      out[i] = kind === 'normal' ? z + shift : Math.exp(0.5 * z + shift)
    }
  }
  return out
}

function categoricalColumn(categories: number, rows: number, shift: number, seed: number) {
  const random = mulberry32(seed)
  const pool = Array.from({ length: categories }, (_, k) => `category-${k}`)
  // Skewed shares (Zipf-like) so that a shift changes them visibly.
  const out = new Array<string>(rows)
  for (let i = 0; i < rows; i++) out[i] = pool[Math.floor(categories * random() ** (2 + shift))]!
  return out
}

const SMALL_KINDS: readonly ColumnKind[] = [
  ...Array<ColumnKind>(8).fill('normal'),
  ...Array<ColumnKind>(5).fill('lognormal'),
  ...Array<ColumnKind>(4).fill('uniform'),
  'integers',
  'few-integers',
  'few-integers',
]
const SMALL_SHIFTED = new Set([0, 9, 14, 17, 19])

function smallTables(): { reference: Float64Array[]; current: Float64Array[] } {
  const reference: Float64Array[] = []
  const current: Float64Array[] = []
  SMALL_KINDS.forEach((kind, k) => {
    reference.push(numericColumn(kind, SMALL_ROWS, 0, 1000 + k))
    current.push(numericColumn(kind, SMALL_ROWS, SMALL_SHIFTED.has(k) ? 0.2 : 0, 2000 + k))
  })
  return { reference, current }
}

const asTable = (columns: readonly Float64Array[]): DriftTable =>
  columns.map((values, k) => ({ name: `x${k}`, values }))

function timeSync<T>(fn: () => T): { value: T; ms: number } {
  const start = process.hrtime.bigint()
  const value = fn()
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 }
}

function benchAgainstScipy(dir: string): void {
  const refFile = path.join(dir, 'reference.npy')
  const curFile = path.join(dir, 'current.npy')
  const generated = smallTables()
  writeNpyColumns(refFile, generated.reference)
  writeNpyColumns(curFile, generated.current)
  console.log(
    `1. ${fmt(SMALL_ROWS, 0)} vs ${fmt(SMALL_ROWS, 0)} rows × ${SMALL_COLUMNS} numerical columns` +
      ` (${SMALL_SHIFTED.size} shifted), .npy files\n`,
  )

  const withLoad: number[] = []
  const computeOnly: number[] = []
  let drift: DataDriftReport | undefined
  for (let lap = 0; lap < REPEATS; lap++) {
    const loaded = timeSync(() => [readNpyColumns(refFile), readNpyColumns(curFile)] as const)
    const [reference, current] = loaded.value
    const computed = timeSync(() => computeDataDrift(asTable(reference), asTable(current)))
    drift = computed.value
    computeOnly.push(computed.ms)
    withLoad.push(loaded.ms + computed.ms)
  }
  const scipy = scipyDrift(refFile, curFile, REPEATS)
  const ours = median(computeOnly)
  console.log(`      Ballast computeDataDrift        ${fmt(ours, 0).padStart(6)} ms`)
  console.log(`      Ballast incl. reading .npy      ${fmt(median(withLoad), 0).padStart(6)} ms`)
  console.log(`      scipy test kernels              ${fmt(scipy.testsOnlyMs, 0).padStart(6)} ms`)
  console.log(
    `      scipy + test selection          ${fmt(scipy.withSelectionMs, 0).padStart(6)} ms`,
  )
  console.log(`      scipy incl. np.load             ${fmt(scipy.withLoadMs, 0).padStart(6)} ms`)
  const ratio = scipy.testsOnlyMs / ours
  report(
    'default drift report vs scipy kernels (their time / ours)',
    `${fmt(ratio, 2)}×`,
    '>= 2×',
    ratio >= 2,
  )

  const columns = Object.values(drift!.drift_by_columns)
  const sameTests = columns.every((c, k) => c.stattest_name === scipy.tests[k])
  let maxDiff = 0
  columns.forEach((c, k) => {
    maxDiff = Math.max(maxDiff, Math.abs(c.drift_score - scipy.scores[k]!))
  })
  report(
    `same default tests as Evidently's selection (${columns.length} columns)`,
    sameTests ? 'yes' : 'no',
    'yes',
    sameTests,
  )
  report('drift scores vs scipy (max |Δ|)', maxDiff.toExponential(2), '<= 1e-9', maxDiff <= 1e-9)
  const drifted = columns.filter((c) => c.drift_detected).map((c) => c.column_name)
  console.log(`      drifted columns: ${drifted.join(', ')}`)
}

function largeTables(): { reference: DriftTable; current: DriftTable } {
  const reference: DriftTable[number][] = []
  const current: DriftTable[number][] = []
  const numericKinds: ColumnKind[] = ['normal', 'lognormal', 'uniform', 'integers', 'few-integers']
  for (let k = 0; k < LARGE_NUMERIC; k++) {
    const kind = numericKinds[k % numericKinds.length]!
    const shift = k % 4 === 0 ? 0.2 : 0
    reference.push({ name: `n${k}`, values: numericColumn(kind, LARGE_ROWS, 0, 3000 + k) })
    current.push({ name: `n${k}`, values: numericColumn(kind, LARGE_ROWS, shift, 4000 + k) })
  }
  for (let k = 0; k < LARGE_CATEGORICAL; k++) {
    const categories = [3, 12, 50, 200][k % 4]!
    const shift = k % 4 === 1 ? 0.5 : 0
    reference.push({
      name: `c${k}`,
      values: categoricalColumn(categories, LARGE_ROWS, 0, 5000 + k),
    })
    current.push({
      name: `c${k}`,
      values: categoricalColumn(categories, LARGE_ROWS, shift, 6000 + k),
    })
  }
  return { reference, current }
}

function benchLarge(): void {
  const columns = LARGE_NUMERIC + LARGE_CATEGORICAL
  console.log(
    `\n2. ${fmt(LARGE_ROWS, 0)} vs ${fmt(LARGE_ROWS, 0)} rows × ${columns} columns` +
      ` (${LARGE_NUMERIC} numerical, ${LARGE_CATEGORICAL} categorical), generated in memory\n`,
  )
  const { reference, current } = largeTables()
  // Input size: 8 bytes a value (a float, or a pointer to a shared category string).
  const inputMiB = (2 * LARGE_ROWS * columns * 8) / MIB
  const rssBefore = process.memoryUsage().rss / MIB
  const computed = timeSync(() => computeDataDrift(reference, current))
  const peakMiB = process.resourceUsage().maxRSS / 1024
  report(
    `default drift report, ${fmt(LARGE_ROWS / 1e6, 0)}M × ${columns} columns`,
    `${fmt(computed.ms / 1000)} s`,
    '<= 30 s',
    computed.ms <= 30_000,
  )
  const extra = peakMiB - rssBefore
  console.log(
    `      input ${fmt(inputMiB, 0)} MiB, RSS before the report ${fmt(rssBefore, 0)} MiB,` +
      ` peak RSS ${fmt(peakMiB, 0)} MiB`,
  )
  report(
    'peak RSS during the report above the RSS before it',
    `${fmt(extra, 0)} MiB`,
    '<= 512 MiB',
    extra <= 512,
  )
  const drift = computed.value
  const tests = new Map<string, number>()
  for (const c of Object.values(drift.drift_by_columns))
    tests.set(c.stattest_name, (tests.get(c.stattest_name) ?? 0) + 1)
  console.log(
    `      tests: ${[...tests].map(([id, n]) => `${id} × ${n}`).join(', ')};` +
      ` drifted columns: ${drift.number_of_drifted_columns} of ${drift.number_of_columns}`,
  )
}

function main(): void {
  console.log('Ballast monitoring benchmark — default data drift report (Evidently tests)\n')
  const dir = mkdtempSync(path.join(tmpdir(), 'ballast-bench-monitoring-'))
  try {
    benchAgainstScipy(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  benchLarge()
}

main()
