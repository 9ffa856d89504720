import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MetadataStore } from '../../../storage/metadata-store.js'
import type { TestStore } from '../../../storage/test-support/test-stores.js'
import { parseOrderBy, parseSearchFilter } from '../filter-parser.js'
import { encodePageToken } from '../page-token.js'
import { keyedTable } from '../run-filter-sql.js'
import type { RunSearchPlan } from '../run-search-plan.js'
import { searchRuns, searchRunsWithPlanner, type SearchRunsRequest } from '../search-runs.js'
import { insertSearchFixtures } from './search-fixtures.js'

type Request = Omit<SearchRunsRequest, 'experimentIds'> & { experimentIds?: string[] }

interface Case {
  label: string
  request: Request
  expected: string[]
}

const byFilter = (filter: string, expected: string[]): Case => ({
  label: filter,
  request: { filter },
  expected,
})
const byOrder = (orderBy: string[], expected: string[], filter?: string): Case => ({
  label: `${filter ?? ''} order by ${orderBy.join(', ')}`,
  request: { orderBy, filter },
  expected,
})

// Expected ids follow the table in search-fixtures.ts; the default order is start_time DESC, then
// run id, so r04 and r05 (both started at 4000) come out as r04, r05.
const CASES: Case[] = [
  { label: 'no filter', request: {}, expected: ['r04', 'r05', 'r03', 'r02', 'r01'] },
  {
    label: 'two experiments',
    request: { experimentIds: ['1', '2'] },
    expected: ['r07', 'r04', 'r05', 'r03', 'r02', 'r01'],
  },
  { label: 'DELETED_ONLY', request: { runViewType: 'DELETED_ONLY' }, expected: ['r06'] },
  {
    label: 'ALL',
    request: { runViewType: 'ALL' },
    expected: ['r06', 'r04', 'r05', 'r03', 'r02', 'r01'],
  },
  byFilter('metrics.acc > 0.6', ['r04', 'r05', 'r02']),
  byFilter('metrics.acc = 0.9', ['r05', 'r02']),
  // NaN is unequal to everything and neither above nor below anything.
  byFilter('metrics.acc != 0.9', ['r04', 'r03', 'r01']),
  byFilter('metrics.acc <= 0.5', ['r01']),
  // r03's NaN is stored as 0, yet it is not equal to 0, and it is unequal to it.
  byFilter('metrics.acc = 0', []),
  byFilter('metrics.acc != 0', ['r04', 'r05', 'r03', 'r02', 'r01']),
  byFilter('metrics.loss = 0', ['r05']),
  byFilter('metrics.loss >= 0', ['r05', 'r03', 'r02', 'r01']),
  byFilter('metrics.missing < 100', []),
  byFilter("params.lr = '0.01'", ['r03', 'r01']),
  byFilter("params.model LIKE 'cnn%'", ['r05', 'r01']),
  byFilter("params.model ILIKE 'cnn'", ['r02', 'r01']),
  byFilter("params.model != 'cnn'", ['r05', 'r03', 'r02']),
  byFilter("params.model IN ('cnn', 'rnn')", ['r03', 'r01']),
  byFilter("params.model NOT IN ('cnn')", ['r05', 'r03', 'r02']),
  byFilter("tags.team = 'vision'", ['r01']),
  byFilter("tags.team ILIKE 'VISION'", ['r05', 'r01']),
  byFilter("tags.note LIKE '50%'", ['r04', 'r03']),
  byFilter("tags.note LIKE '50\\%%'", ['r03']),
  byFilter("tags.note LIKE '50\\%\\_off'", ['r03']),
  byFilter("attributes.status = 'FINISHED'", ['r05', 'r03', 'r01']),
  byFilter("attributes.status != 'FINISHED'", ['r04', 'r02']),
  byFilter("attributes.run_name = 'alpha'", ['r01']),
  byFilter("attributes.run_name ILIKE 'alpha%'", ['r05', 'r01']),
  byFilter('tags."mlflow.runName" LIKE \'alpha%\'', ['r01']),
  byFilter("attributes.run_id IN ('r01', 'r03', 'r07')", ['r03', 'r01']),
  byFilter("attributes.run_id NOT IN ('r01', 'r03')", ['r04', 'r05', 'r02']),
  byFilter("attributes.user_id = 'ana'", ['r05', 'r03', 'r01']),
  byFilter("attributes.artifact_uri LIKE '%/r02/%'", ['r02']),
  byFilter('attributes.start_time >= 3000', ['r04', 'r05', 'r03']),
  byFilter('created < 2000', ['r01']),
  byFilter('attributes.end_time > 3000', ['r05', 'r03']),
  byFilter("attributes.user_id = 'ana' and metrics.acc > 0.4", ['r05', 'r01']),
  byFilter("params.lr = '0.01' and metrics.loss < 0.25 and tags.note LIKE '50%'", ['r03']),
  byFilter("datasets.name = 'iris'", ['r03', 'r01']),
  byFilter("datasets.context = 'eval'", ['r03', 'r02']),
  byFilter("datasets.digest IN ('def')", ['r02']),
  byFilter("datasets.name = 'iris' and datasets.context = 'train'", ['r01']),
  byOrder(['metrics.acc DESC'], ['r05', 'r02', 'r04', 'r01', 'r03']),
  byOrder(['metrics.acc ASC'], ['r01', 'r04', 'r05', 'r02', 'r03']),
  byOrder(['metrics.loss DESC'], ['r01', 'r03', 'r02', 'r05', 'r04']),
  byOrder(['metrics.loss'], ['r05', 'r02', 'r03', 'r01', 'r04']),
  byOrder(['params.lr DESC'], ['r02', 'r03', 'r01', 'r04', 'r05']),
  // Byte order: upper case sorts before lower case.
  byOrder(['tags.team ASC'], ['r05', 'r02', 'r01', 'r04', 'r03']),
  byOrder(['attributes.end_time DESC'], ['r05', 'r03', 'r01', 'r04', 'r02']),
  byOrder(['attributes.end_time ASC'], ['r01', 'r03', 'r05', 'r04', 'r02']),
  byOrder(['attributes.start_time ASC'], ['r01', 'r02', 'r03', 'r04', 'r05']),
  byOrder(['attributes.run_name'], ['r05', 'r01', 'r02', 'r04', 'r03']),
  byOrder(['tags."mlflow.runName" DESC'], ['r03', 'r04', 'r02', 'r01', 'r05']),
  byOrder(['metrics.acc DESC', 'params.lr ASC'], ['r02', 'r05', 'r04', 'r01', 'r03']),
  byOrder(['metrics.acc ASC'], ['r04', 'r05', 'r02'], 'metrics.acc > 0.6'),
  byOrder(['metrics.acc DESC'], ['r05', 'r02', 'r04', 'r03'], 'metrics.acc != 0.5'),
  byOrder(['metrics.loss DESC'], ['r01', 'r03'], "params.lr = '0.01'"),
  byOrder(
    ['metrics.loss DESC'],
    ['r01', 'r03', 'r04'],
    "attributes.run_id IN ('r01', 'r03', 'r04')",
  ),
  byOrder(['params.model DESC'], ['r03', 'r01', 'r04'], "params.lr != '0.1'"),
]

/** Every plan that can answer the request, so that each one is checked against the same answer. */
function plansFor(request: SearchRunsRequest): RunSearchPlan[] {
  const plans: RunSearchPlan[] = [{ kind: 'scan-runs' }]
  const first = parseOrderBy(request.orderBy)[0]
  const orderTable = first && keyedTable(first.type, first.key)
  if (orderTable !== undefined) plans.push({ kind: 'drive-by-order', table: orderTable })
  parseSearchFilter(request.filter).forEach((c, filter) => {
    const table = keyedTable(c.type, c.key)
    if (table !== undefined) plans.push({ kind: 'drive-by-filter', filter, table })
  })
  return plans
}

async function allPages(store: MetadataStore, request: SearchRunsRequest, plan: RunSearchPlan) {
  const pages: string[][] = []
  let pageToken: string | undefined
  do {
    const page = await searchRunsWithPlanner(store, { ...request, pageToken }, async () => plan)
    pages.push(page.runIds)
    pageToken = page.nextPageToken
  } while (pageToken !== undefined && pages.length < 10)
  return pages
}

export function runSearchRunsSuite(options: {
  name: string
  open: () => Promise<TestStore>
}): void {
  describe(`searchRuns on ${options.name}`, () => {
    let test: TestStore
    let store: MetadataStore
    beforeAll(async () => {
      test = await options.open()
      store = test.store
      await insertSearchFixtures(store.db)
    })
    afterAll(async () => {
      await test?.dispose()
    })

    it.each(CASES)('$label', async ({ request, expected }) => {
      const full: SearchRunsRequest = { experimentIds: ['1'], ...request }
      expect(await searchRuns(store, full)).toEqual({ runIds: expected })
      for (const plan of plansFor(full)) {
        const { runIds } = await searchRunsWithPlanner(store, full, async () => plan)
        expect({ plan, runIds }).toEqual({ plan, runIds: expected })
      }
    })

    it.each([
      [{}, [['r04', 'r05'], ['r03', 'r02'], ['r01']]],
      [{ orderBy: ['metrics.loss DESC'] }, [['r01', 'r03'], ['r02', 'r05'], ['r04']]],
      [{ orderBy: ['metrics.acc DESC'] }, [['r05', 'r02'], ['r04', 'r01'], ['r03']]],
      [
        { orderBy: ['metrics.acc'], filter: 'metrics.acc != 0.7' },
        [
          ['r01', 'r05'],
          ['r02', 'r03'],
        ],
      ],
    ] as [Request, string[][]][])(
      'pages through %j two runs at a time',
      async (request, expected) => {
        const full: SearchRunsRequest = { experimentIds: ['1'], maxResults: 2, ...request }
        for (const plan of plansFor(full)) {
          expect({ plan, pages: await allPages(store, full, plan) }).toEqual({
            plan,
            pages: expected,
          })
        }
      },
    )

    it('gives no next page token when the last page is exactly full', async () => {
      const result = await searchRuns(store, { experimentIds: ['1'], maxResults: 5 })
      expect(result).toEqual({ runIds: ['r04', 'r05', 'r03', 'r02', 'r01'] })
    })

    it('answers an empty page past the end', async () => {
      const pageToken = encodePageToken(50)
      expect(await searchRuns(store, { experimentIds: ['1'], pageToken })).toEqual({ runIds: [] })
    })

    it('finds nothing without experiments', async () => {
      expect(await searchRuns(store, { experimentIds: [] })).toEqual({ runIds: [] })
    })

    it.each([
      [{ filter: 'metrics.acc >> 1' }, "Invalid filter 'metrics.acc >> 1'"],
      [{ orderBy: ['metrics.acc UP'] }, "Invalid order_by clause 'metrics.acc UP'"],
      [{ experimentIds: ['one'] }, "Invalid experiment id 'one' in parameter 'experiment_ids'"],
      [{ runViewType: 'SOME' }, "Invalid value 'SOME' for parameter 'run_view_type'"],
      [{ maxResults: 50001 }, "Invalid value 50001 for parameter 'max_results'"],
      [{ pageToken: 'abc' }, "Invalid page_token 'abc'"],
    ] as [Request, string][])('rejects %j', async (request, message) => {
      const full: SearchRunsRequest = { experimentIds: ['1'], ...request }
      await expect(searchRuns(store, full)).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringContaining(message),
      })
    })
  })
}
