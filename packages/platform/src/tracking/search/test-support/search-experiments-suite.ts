import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MetadataStore } from '../../../storage/metadata-store.js'
import type { DatabaseSchema } from '../../../storage/schema.js'
import type { TestStore } from '../../../storage/test-support/test-stores.js'
import { searchExperiments, type SearchExperimentsRequest } from '../search-experiments.js'

/**
 * | id | name       | created | updated | stage   | team |
 * |----|------------|---------|---------|---------|------|
 * | 0  | Default    | 0       | 0       | active  | -    |
 * | 1  | prod-churn | 100     | 500     | active  | ml   |
 * | 2  | prod-fraud | 200     | 300     | active  | risk |
 * | 3  | dev-churn  | 200     | 400     | active  | -    |
 * | 4  | old        | 50      | 60      | deleted | ml   |
 */
async function insertExperiments(db: Kysely<DatabaseSchema>): Promise<void> {
  await db
    .updateTable('experiments')
    .set({ creation_time: 0, last_update_time: 0 })
    .where('experiment_id', '=', 0)
    .execute()
  const experiment = (
    id: number,
    name: string,
    created: number,
    updated: number,
    stage = 'active',
  ) => ({
    experiment_id: id,
    name,
    artifact_location: `mlflow-artifacts:/${id}`,
    lifecycle_stage: stage,
    creation_time: created,
    last_update_time: updated,
  })
  await db
    .insertInto('experiments')
    .values([
      experiment(1, 'prod-churn', 100, 500),
      experiment(2, 'prod-fraud', 200, 300),
      experiment(3, 'dev-churn', 200, 400),
      experiment(4, 'old', 50, 60, 'deleted'),
    ])
    .execute()
  await db
    .insertInto('experiment_tags')
    .values([
      { experiment_id: 1, key: 'team', value: 'ml' },
      { experiment_id: 2, key: 'team', value: 'risk' },
      { experiment_id: 4, key: 'team', value: 'ml' },
    ])
    .execute()
}

const CASES: [string, SearchExperimentsRequest, number[]][] = [
  // MLflow's default order: creation_time DESC, experiment_id ASC.
  ['the default order', {}, [2, 3, 1, 0]],
  ['ALL', { viewType: 'ALL' }, [2, 3, 1, 4, 0]],
  ['DELETED_ONLY', { viewType: 'DELETED_ONLY' }, [4]],
  ['a name prefix', { filter: "name LIKE 'prod-%'" }, [2, 1]],
  ['a case-insensitive name', { filter: "attributes.name ILIKE 'PROD-%'" }, [2, 1]],
  ['a case-sensitive LIKE', { filter: "name LIKE 'default'" }, []],
  ['an exact name', { filter: "name = 'dev-churn'" }, [3]],
  ['an excluded name', { filter: "name != 'Default'" }, [2, 3, 1]],
  ['a creation time', { filter: 'creation_time >= 200' }, [2, 3]],
  ['an update time', { filter: 'attributes.last_update_time < 400' }, [2, 0]],
  ['a tag', { filter: "tags.team = 'ml'" }, [1]],
  ['a tag among deleted too', { filter: "tags.team = 'ml'", viewType: 'ALL' }, [1, 4]],
  ['a tag pattern and a time', { filter: "tags.team LIKE '%' and creation_time > 100" }, [2]],
  ['name', { orderBy: ['name'] }, [0, 3, 1, 2]],
  // Without experiment_id in the order, MLflow breaks ties by experiment_id DESC.
  ['creation_time DESC', { orderBy: ['creation_time DESC'] }, [3, 2, 1, 0]],
  ['experiment_id DESC', { orderBy: ['attributes.experiment_id DESC'] }, [3, 2, 1, 0]],
  ['last_update_time', { orderBy: ['last_update_time ASC'] }, [0, 2, 3, 1]],
  [
    'creation_time then experiment_id',
    { orderBy: ['creation_time', 'experiment_id'] },
    [0, 1, 2, 3],
  ],
]

export function runSearchExperimentsSuite(options: {
  name: string
  open: () => Promise<TestStore>
}): void {
  describe(`searchExperiments on ${options.name}`, () => {
    let test: TestStore
    let store: MetadataStore
    beforeAll(async () => {
      test = await options.open()
      store = test.store
      await insertExperiments(store.db)
    })
    afterAll(async () => {
      await test?.dispose()
    })

    it.each(CASES)('finds by %s', async (_, request, expected) => {
      expect(await searchExperiments(store, request)).toEqual({ experimentIds: expected })
    })

    it('pages with a token', async () => {
      const first = await searchExperiments(store, { maxResults: 3 })
      expect(first.experimentIds).toEqual([2, 3, 1])
      expect(first.nextPageToken).toEqual(expect.any(String))
      const second = await searchExperiments(store, {
        maxResults: 3,
        pageToken: first.nextPageToken,
      })
      expect(second).toEqual({ experimentIds: [0] })
    })

    it.each([
      [
        { filter: 'metrics.acc > 1' },
        "Invalid filter 'metrics.acc > 1': unknown entity type 'metrics'",
      ],
      [{ orderBy: ['tags.team'] }, "Invalid order_by clause 'tags.team'"],
      [{ viewType: 'NONE' }, "Invalid value 'NONE' for parameter 'view_type'"],
      [{ maxResults: 0 }, "Invalid value 0 for parameter 'max_results'"],
    ] as [SearchExperimentsRequest, string][])('rejects %j', async (request, message) => {
      await expect(searchExperiments(store, request)).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringContaining(message),
      })
    })
  })
}
