/**
 * `npm run bench:data`: the data context's speed on vega-datasets' flights-3m.parquet (3,000,000
 * real flights, 5 columns): profiling throughput, ingestion of the file as a dataset version, and
 * a 12-expectation validation suite. Prints medians of 3; the machine may be shared, so a single
 * slow figure is worth a second run before it is believed.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseExpectationSuite } from '@ballast/contracts'
import { LocalArtifactStore } from '../artifacts/local-artifact-store.js'
import { DuckEngine, createDataService } from '../data/index.js'
import { profileDataset } from '../data/profile/index.js'
import { describeParquet, validateDataset } from '../data/validation/index.js'
import { systemActor } from '../governance/actor.js'
import { SqliteMetadataStore } from '../storage/index.js'
import { fmt, median, report, timeMs } from './bench-stats.js'

const FLIGHTS = fileURLToPath(
  new URL('../../../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url),
)
const REPEATS = 3

async function main(): Promise<void> {
  const home = mkdtempSync(path.join(tmpdir(), 'ballast-bench-data-'))
  const engine = await DuckEngine.open()
  console.log(`Ballast data benchmark — ${path.basename(FLIGHTS)}, DuckDB in process\n`)
  try {
    await benchProfile(engine)
    await benchIngest(home)
    await benchValidate(engine)
  } finally {
    engine.close()
    rmSync(home, { recursive: true, force: true })
  }
}

async function benchProfile(engine: DuckEngine): Promise<void> {
  const schema = await describeParquet(engine, FLIGHTS)
  let rows = 0
  const samples: number[] = []
  for (let i = 0; i < REPEATS; i++) {
    samples.push(
      await timeMs(async () => {
        rows = (await profileDataset(engine, FLIGHTS, schema)).rowCount
      }),
    )
  }
  const ms = median(samples)
  const rate = rows / (ms / 1000)
  report(
    `profile, ${rows.toLocaleString('en-US')} rows × ${schema.columns.length} columns (median of ${REPEATS})`,
    `${fmt(rate, 0)} rows/s`,
    '≥ 1,000,000 rows/s',
    rate >= 1_000_000,
  )
  console.log(`      ${fmt(ms, 0)} ms per profile\n`)
}

async function benchIngest(home: string): Promise<void> {
  const store = new SqliteMetadataStore(path.join(home, 'ballast.db'))
  await store.migrate()
  const artifacts = new LocalArtifactStore(path.join(home, 'artifacts'))
  await artifacts.init()
  const data = createDataService({ store, artifacts })
  const samples: number[] = []
  let profiled = false
  try {
    for (let i = 0; i < REPEATS; i++) {
      // A new dataset each time: the same content under one name would return the first version.
      samples.push(
        await timeMs(async () => {
          const result = await data.ingest({
            name: `flights-${i}`,
            input: FLIGHTS,
            actor: systemActor('bench'),
          })
          profiled = result.version.profile !== null
        }),
      )
    }
  } finally {
    await data.close()
    await artifacts.close()
    await store.close()
  }
  const ms = median(samples)
  report(
    `ingest ${path.basename(FLIGHTS)} with schema${profiled ? ' and profile' : ''} (median of ${REPEATS})`,
    `${fmt(ms / 1000, 2)} s`,
    '≤ 10 s',
    ms <= 10_000,
  )
  if (!profiled) console.log('      the version was stored without a profile')
  console.log()
}

/** Twelve expectations over every column, the kinds an inferred suite holds. */
const SUITE = parseExpectationSuite({
  name: 'flights',
  expectations: [
    ['expect_table_row_count_to_be_between', { min_value: 1_000_000, max_value: 5_000_000 }],
    [
      'expect_table_columns_to_match_set',
      { column_set: ['date', 'delay', 'distance', 'origin', 'destination'] },
    ],
    ['expect_column_to_exist', { column: 'date' }],
    ['expect_column_values_to_be_of_type', { column: 'distance', type_: 'integer' }],
    ['expect_column_values_to_not_be_null', { column: 'origin' }],
    ['expect_column_values_to_be_between', { column: 'distance', min_value: 0, max_value: 6000 }],
    [
      'expect_column_values_to_be_between',
      { column: 'delay', min_value: -120, max_value: 600, mostly: 0.99 },
    ],
    [
      'expect_column_values_to_be_in_set',
      { column: 'origin', value_set: ['ORD', 'DFW', 'ATL', 'LAX', 'PHX'], mostly: 0.2 },
    ],
    ['expect_column_values_to_match_regex', { column: 'destination', regex: '^[A-Z]{3}$' }],
    ['expect_column_mean_to_be_between', { column: 'delay', min_value: 0, max_value: 20 }],
    ['expect_column_median_to_be_between', { column: 'distance', min_value: 400, max_value: 800 }],
    ['expect_column_stdev_to_be_between', { column: 'distance', min_value: 100, max_value: 1000 }],
  ].map(([expectation_type, kwargs]) => ({ expectation_type, kwargs })),
})

async function benchValidate(engine: DuckEngine): Promise<void> {
  const samples: number[] = []
  let success = false
  for (let i = 0; i < REPEATS; i++) {
    samples.push(
      await timeMs(async () => {
        success = (await validateDataset(engine, FLIGHTS, SUITE)).success
      }),
    )
  }
  const ms = median(samples)
  report(
    `validate, ${SUITE.expectations.length}-expectation suite (median of ${REPEATS})`,
    `${fmt(ms / 1000, 2)} s`,
    '≤ 3 s',
    ms <= 3000,
  )
  console.log(`      suite ${success ? 'passed' : 'failed'}\n`)
}

await main()
