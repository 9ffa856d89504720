import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestStore } from './test-stores.js'

export interface MetadataStoreContractOptions {
  name: string
  open(): Promise<TestStore>
}

/** The behaviour every metadata store backend must have. Run once per backend. */
export function runMetadataStoreContract(options: MetadataStoreContractOptions): void {
  describe(`metadata store contract: ${options.name}`, () => {
    let test: TestStore
    beforeAll(async () => {
      test = await options.open()
    })
    afterAll(async () => {
      await test.dispose()
    })

    it('has the Default experiment with id 0 after migration', async () => {
      const rows = await test.store.db
        .selectFrom('experiments')
        .select(['experiment_id', 'name'])
        .execute()
      expect(rows).toEqual([{ experiment_id: 0, name: 'Default' }])
    })

    it('migrating again is a no-op', async () => {
      await test.store.migrate()
      const count = await test.store.db
        .selectFrom('experiments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      expect(Number(count.n)).toBe(1)
    })

    it('assigns increasing experiment ids after the explicit 0', async () => {
      const ids: number[] = []
      for (const name of ['a', 'b']) {
        const row = await test.store.db
          .insertInto('experiments')
          .values({
            name,
            artifact_location: '',
            lifecycle_stage: 'active',
            creation_time: 1,
            last_update_time: 1,
          })
          .returning('experiment_id')
          .executeTakeFirstOrThrow()
        ids.push(row.experiment_id)
      }
      expect(ids[0]).toBeGreaterThan(0)
      expect(ids[1]).toBe(ids[0]! + 1)
      expect(typeof ids[0]).toBe('number')
    })

    it('round-trips epoch milliseconds and large steps as numbers', async () => {
      const t = 1_795_651_603_800
      await test.store.db
        .insertInto('runs')
        .values({
          run_uuid: 'r'.repeat(32),
          experiment_id: 0,
          name: 'r',
          user_id: 'u',
          status: 'RUNNING',
          start_time: t,
          end_time: null,
          lifecycle_stage: 'active',
          artifact_uri: 'x',
          deleted_time: null,
        })
        .execute()
      await test.store.db
        .insertInto('metrics')
        .values({
          run_uuid: 'r'.repeat(32),
          key: 'k',
          value: 0.5,
          timestamp: t,
          step: 2 ** 40,
          is_nan: 0,
        })
        .execute()
      const run = await test.store.db
        .selectFrom('runs')
        .select('start_time')
        .executeTakeFirstOrThrow()
      const metric = await test.store.db
        .selectFrom('metrics')
        .select(['step', 'value'])
        .executeTakeFirstOrThrow()
      expect(run.start_time).toBe(t)
      expect(metric).toEqual({ step: 2 ** 40, value: 0.5 })
    })

    it('ignores a duplicate metric point on conflict (retried batches do not duplicate)', async () => {
      const point = {
        run_uuid: 'r'.repeat(32),
        key: 'k',
        value: 0.5,
        timestamp: 1_795_651_603_800,
        step: 2 ** 40,
        is_nan: 0,
      }
      await test.store.db
        .insertInto('metrics')
        .values(point)
        .onConflict((oc) => oc.doNothing())
        .execute()
      const rows = await test.store.db
        .selectFrom('metrics')
        .selectAll()
        .where('key', '=', 'k')
        .execute()
      expect(rows).toHaveLength(1)
    })

    it('rolls back a failed transaction completely', async () => {
      await expect(
        test.store.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('experiment_tags')
            .values({ experiment_id: 0, key: 'x', value: '1' })
            .execute()
          await trx
            .insertInto('experiment_tags')
            .values({ experiment_id: 0, key: 'x', value: '2' })
            .execute()
        }),
      ).rejects.toThrow()
      const tags = await test.store.db.selectFrom('experiment_tags').selectAll().execute()
      expect(tags).toEqual([])
    })

    it('enforces foreign keys', async () => {
      await expect(
        test.store.db
          .insertInto('experiment_tags')
          .values({ experiment_id: 999, key: 'x', value: '1' })
          .execute(),
      ).rejects.toThrow()
    })

    it('compares LIKE case-sensitively, as MLflow does', async () => {
      const { rows } = await sql<{
        hit: number
      }>`select count(*) as hit from experiments where name like 'default'`.execute(test.store.db)
      expect(Number(rows[0]!.hit)).toBe(0)
    })

    it('answers ping, and rejects it once closed', async () => {
      await expect(test.store.ping()).resolves.toBeUndefined()
      const other = await options.open()
      await other.store.close()
      await expect(other.store.ping()).rejects.toThrow()
      await other.dispose().catch(() => {})
    })
  })
}
