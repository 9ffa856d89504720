import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MetadataStore } from '../../storage/metadata-store.js'
import { openTestSqliteStore, type TestStore } from '../../storage/test-support/test-stores.js'
import { parseOrderBy, parseSearchFilter } from './filter-parser.js'
import { chooseRunSearchPlan, type RunSearchPlan } from './run-search-plan.js'
import { searchRuns, searchRunsWithPlanner } from './search-runs.js'
import { insertBulkRuns, type BulkRun } from './test-support/bulk-runs.js'
import { runSearchRunsSuite } from './test-support/search-runs-suite.js'

runSearchRunsSuite({ name: 'sqlite', open: openTestSqliteStore })

/** MLflow's order, written independently of the SQL: rank (value, NaN, missing), value, start, id. */
function referenceOrder(
  runs: BulkRun[],
  keep: (run: BulkRun) => boolean,
  metric?: { value: (run: BulkRun) => number | undefined; descending: boolean },
): string[] {
  const rank = (v: number | undefined) => (v === undefined ? 2 : Number.isNaN(v) ? 1 : 0)
  return runs
    .filter((run) => run.active && keep(run))
    .sort((a, b) => {
      if (metric !== undefined) {
        const va = metric.value(a)
        const vb = metric.value(b)
        if (rank(va) !== rank(vb)) return rank(va) - rank(vb)
        if (rank(va) === 0 && va !== vb) return (va! - vb!) * (metric.descending ? -1 : 1)
      }
      if (a.startTime !== b.startTime) return b.startTime - a.startTime
      return a.id < b.id ? -1 : 1
    })
    .map((run) => run.id)
}

describe('searchRuns over 100,000 runs on sqlite', () => {
  let test: TestStore
  let store: MetadataStore
  let runs: BulkRun[]
  beforeAll(async () => {
    test = await openTestSqliteStore()
    store = test.store
    runs = await insertBulkRuns(store.db, 100_000)
  }, 120_000)
  afterAll(async () => {
    await test?.dispose()
  })

  const plan = async (filter: string | undefined, orderBy: string[] | undefined, need: number) =>
    chooseRunSearchPlan(
      store.db,
      {
        experimentIds: [1],
        comparisons: parseSearchFilter(filter),
        order: parseOrderBy(orderBy),
        need,
      },
      store.capabilities,
    )

  it('pages a metric filter ordered by another metric, walking the order index', async () => {
    const request = {
      experimentIds: ['1'],
      filter: 'metrics.loss < 0.5',
      orderBy: ['metrics.acc DESC'],
    }
    const expected = referenceOrder(runs, (r) => r.loss !== undefined && r.loss < 0.5, {
      value: (r) => r.acc,
      descending: true,
    })
    expect(expected.length).toBeGreaterThan(40_000)
    expect(await plan(request.filter, request.orderBy, 1001)).toEqual({
      kind: 'drive-by-order',
      table: 'latest_metrics',
    })

    const first = await searchRuns(store, request)
    expect(first.runIds).toEqual(expected.slice(0, 1000))
    const second = await searchRuns(store, { ...request, pageToken: first.nextPageToken })
    expect(second.runIds).toEqual(expected.slice(1000, 2000))
  })

  it('answers a narrow metric filter from its index', async () => {
    const filter = 'metrics.loss < 0.001'
    const orderBy = ['metrics.acc DESC']
    const expected = referenceOrder(runs, (r) => r.loss !== undefined && r.loss < 0.001, {
      value: (r) => r.acc,
      descending: true,
    })
    expect(expected.length).toBeGreaterThan(20)
    expect(await plan(filter, orderBy, 1001)).toEqual({
      kind: 'drive-by-filter',
      filter: 0,
      table: 'latest_metrics',
    })
    expect(await searchRuns(store, { experimentIds: ['1'], filter, orderBy })).toEqual({
      runIds: expected,
    })
  })

  it('combines a param and a metric filter in the default order', async () => {
    const filter = "params.lr = '0.01' and metrics.acc > 0.9"
    const expected = referenceOrder(runs, (r) => r.lr === '0.01' && r.acc! > 0.9)
    const result = await searchRuns(store, { experimentIds: ['1'], filter, maxResults: 500 })
    expect(result.runIds).toEqual(expected.slice(0, 500))
  })

  it('orders runs with a NaN or no metric last, across the whole ordering', async () => {
    const request = {
      experimentIds: ['1'],
      filter: "params.lr = '0.01'",
      orderBy: ['metrics.loss ASC'],
      maxResults: 50_000,
    }
    const expected = referenceOrder(runs, (r) => r.lr === '0.01', {
      value: (r) => r.loss,
      descending: false,
    })
    const byOrder: RunSearchPlan = { kind: 'drive-by-order', table: 'latest_metrics' }
    expect(await searchRuns(store, request)).toEqual({ runIds: expected })
    expect(await searchRunsWithPlanner(store, request, async () => byOrder)).toEqual({
      runIds: expected,
    })
  })
})
