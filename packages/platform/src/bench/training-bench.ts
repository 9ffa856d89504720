/**
 * `npm run bench:training`: binary GBDT (100 trees, depth 6) on 1,000,000 rows of vega-datasets'
 * flights-3m.parquet (target: delay > 15 minutes; features: hour, day of week, month, distance,
 * origin and destination as categoricals), validated on 200,000 other rows; then the same settings
 * on a 100,000-row sample beside XGBoost (the ml-xgboost package, WebAssembly) when installed.
 * The 1M-row model is also exported to ONNX (timed) and run in onnxruntime on validation rows.
 */
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { DuckEngine, quoteLiteral } from '../data/duckdb/duck-engine.js'
import { gbdtToTreeEnsemble } from '../training/gbdt-onnx.js'
import {
  type GbdtData,
  type GbdtModel,
  type GbdtParams,
  trainGbdt,
} from '../training/gbdt/index.js'
import { rocAuc } from '../training/metrics/index.js'
import { OnnxModel, exportTreeEnsemble } from '../training/onnx/index.js'
import { fmt, median, report } from './bench-stats.js'

const FLIGHTS = fileURLToPath(
  new URL('../../../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url),
)
const TRAIN_ROWS = 1_000_000
const VALID_ROWS = 200_000
const SAMPLE_ROWS = 100_000
const ONNX_CHECK_ROWS = 10_000
const FEATURES = ['hour', 'dow', 'month', 'distance', 'origin', 'destination']
const CATEGORICAL = [false, false, false, false, true, true]
const PARAMS: GbdtParams = {
  objective: 'binary',
  numTrees: 100,
  maxDepth: 6,
  maxLeaves: 64,
  learningRate: 0.1,
  lambda: 1,
  minChildWeight: 1,
}

interface XGBoostBooster {
  train(rows: number[][], labels: number[]): void
  predict(rows: number[][]): number[]
  free(): void
}
type XGBoostClass = new (options: Record<string, unknown>) => XGBoostBooster

async function loadFlights(): Promise<{ train: GbdtData; valid: GbdtData }> {
  const engine = await DuckEngine.open()
  try {
    const columns = await engine.withConnection(async (connection) => {
      const reader = await connection.runAndReadAll(`
        SELECT hour(date) AS hour, dayofweek(date) AS dow, month(date) AS month,
               distance::DOUBLE AS distance, origin, destination,
               CASE WHEN delay > 15 THEN 1 ELSE 0 END AS label
        FROM read_parquet(${quoteLiteral(FLIGHTS)})
        USING SAMPLE reservoir(${TRAIN_ROWS + VALID_ROWS} ROWS) REPEATABLE (42)`)
      return reader.getColumnsJS()
    })
    const codes = new Map<string, number>()
    const toNumber = (v: unknown): number => {
      if (typeof v !== 'string') return Number(v)
      let code = codes.get(v)
      if (code === undefined) codes.set(v, (code = codes.size))
      return code
    }
    const numeric = columns.map((col) => Float64Array.from(col, toNumber))
    const split = (from: number, to: number): GbdtData => ({
      features: numeric.slice(0, FEATURES.length).map((c) => c.slice(from, to)),
      label: numeric[FEATURES.length]!.slice(from, to),
      categorical: CATEGORICAL,
    })
    return { train: split(0, TRAIN_ROWS), valid: split(TRAIN_ROWS, TRAIN_ROWS + VALID_ROWS) }
  } finally {
    engine.close()
  }
}

function head(data: GbdtData, rows: number): GbdtData {
  return {
    ...data,
    features: data.features.map((c) => c.subarray(0, rows)),
    label: data.label.subarray(0, rows),
  }
}

function timeSync<T>(fn: () => T): { value: T; ms: number } {
  const start = process.hrtime.bigint()
  const value = fn()
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 }
}

function rowsOf(data: GbdtData): number[][] {
  return Array.from(data.label, (_, i) => data.features.map((c) => c[i]!))
}

async function loadXGBoost(): Promise<XGBoostClass | null> {
  const require = createRequire(import.meta.url)
  try {
    require.resolve('ml-xgboost')
  } catch {
    return null
  }
  return await (require('ml-xgboost') as Promise<XGBoostClass>)
}

/** Export time (median of 5) and the largest |P(onnxruntime) − P(TypeScript)| on validation rows. */
async function benchOnnx(model: GbdtModel, valid: GbdtData): Promise<void> {
  const laps: number[] = []
  let bytes: Uint8Array = new Uint8Array(0)
  for (let lap = 0; lap < 5; lap++) {
    const exported = timeSync(() =>
      exportTreeEnsemble(gbdtToTreeEnsemble(model.toJSON(), FEATURES)),
    )
    bytes = exported.value
    laps.push(exported.ms)
  }
  const exportMs = median(laps)
  report(
    `ONNX export of the ${fmt(TRAIN_ROWS / 1e6, 0)}M-row model (median of 5)`,
    `${fmt(exportMs, 0)} ms`,
    '<= 1 s',
    exportMs <= 1000,
  )
  console.log(`      ONNX file: ${fmt(bytes.length / 1024, 0)} KiB`)
  const rows = head(valid, ONNX_CHECK_ROWS)
  const onnx = await OnnxModel.load(bytes)
  try {
    const feeds = Object.fromEntries(
      FEATURES.map((name, f) => [name, Float32Array.from(rows.features[f]!)]),
    )
    const out = await onnx.run(feeds, ONNX_CHECK_ROWS)
    const probabilities = out.probabilities!.values as number[]
    const expected = model.predict(rows.features)
    let maxDiff = 0
    for (let i = 0; i < ONNX_CHECK_ROWS; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(probabilities[2 * i + 1]! - expected[i]!))
    }
    report(
      `onnxruntime vs TypeScript, ${fmt(ONNX_CHECK_ROWS, 0)} rows (max |ΔP|)`,
      maxDiff.toExponential(2),
      '<= 1e-5',
      maxDiff <= 1e-5,
    )
  } finally {
    await onnx.release()
  }
}

async function main(): Promise<void> {
  console.log('Ballast training benchmark — flights-3m.parquet, binary GBDT, 100 trees, depth 6\n')
  const { train, valid } = await loadFlights()

  const full = timeSync(() => trainGbdt(train, PARAMS))
  const auc = rocAuc(valid.label, full.value.predict(valid.features))
  report(
    `GBDT train, ${fmt(TRAIN_ROWS / 1e6, 0)}M rows`,
    `${fmt(full.ms / 1000)} s`,
    '<= 30 s',
    full.ms <= 30_000,
  )
  console.log(`      validation ROC AUC (${fmt(VALID_ROWS, 0)} rows): ${fmt(auc, 4)}`)
  await benchOnnx(full.value, valid)

  const row = new Float64Array(FEATURES.length)
  const laps: number[] = []
  let sink = 0
  for (let lap = 0; lap < 5; lap++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < 20_000; i++) {
      for (let f = 0; f < row.length; f++) row[f] = valid.features[f]![i]!
      sink += full.value.predictRow(row)
    }
    laps.push(Number(process.hrtime.bigint() - start) / 1e3 / 20_000)
  }
  const perRow = median(laps)
  report(
    'single-row predict (median of 5 × 20,000 rows)',
    `${fmt(perRow, 2)} µs`,
    '<= 20 µs',
    perRow <= 20 && sink > 0,
  )

  const XGBoost = await loadXGBoost()
  if (!XGBoost) {
    console.log('\nml-xgboost is not installed: the XGBoost comparison is skipped.')
    return
  }
  const sample = head(train, SAMPLE_ROWS)
  const ours = timeSync(() => trainGbdt(sample, PARAMS))
  const oursAuc = rocAuc(valid.label, ours.value.predict(valid.features))
  const xRows = rowsOf(sample)
  const booster = new XGBoost({
    booster: 'gbtree',
    objective: 'binary:logistic',
    max_depth: 6,
    eta: 0.1,
    min_child_weight: 1,
    lambda: 1,
    subsample: 1,
    colsample_bytree: 1,
    silent: 1,
    iterations: 100,
  })
  try {
    const xgb = timeSync(() => booster.train(xRows, Array.from(sample.label)))
    const xgbAuc = rocAuc(valid.label, booster.predict(rowsOf(valid)))
    const ratio = xgb.ms / ours.ms
    console.log(
      `\nSame 100,000-row sample and settings, AUC on the same ${fmt(VALID_ROWS, 0)} rows:`,
    )
    console.log(`      Ballast GBDT  ${fmt(ours.ms / 1000, 2)} s   ROC AUC ${fmt(oursAuc, 4)}`)
    console.log(`      XGBoost wasm  ${fmt(xgb.ms / 1000, 2)} s   ROC AUC ${fmt(xgbAuc, 4)}`)
    report('training speed vs XGBoost (its time / ours)', `${fmt(ratio, 2)}×`, '>= 3×', ratio >= 3)
    report(
      'ROC AUC vs XGBoost (ours − theirs)',
      fmt(oursAuc - xgbAuc, 4),
      '>= -0.005',
      oursAuc - xgbAuc >= -0.005,
    )
  } finally {
    booster.free()
  }
}

await main()
