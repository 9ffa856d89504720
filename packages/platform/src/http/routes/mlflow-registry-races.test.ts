import { afterEach, beforeEach, describe, it } from 'vitest'
import { type MlflowTestClient, openMlflowTestClient } from './test-support/mlflow-test-client.js'
import {
  expectConcurrentCreatesNumberedOnce,
  expectOneCompareAndSetWinner,
} from './test-support/registry-races.js'

let t: MlflowTestClient

beforeEach(async () => {
  t = await openMlflowTestClient()
})

afterEach(async () => {
  await t.dispose()
})

describe('model registry races on SQLite', () => {
  it('numbers 20 concurrent version creates 1..20', async () => {
    await expectConcurrentCreatesNumberedOnce(t, 20)
  })

  it('lets exactly one of four concurrent compare-and-set promotions win', async () => {
    await expectOneCompareAndSetWinner(t)
  })
})
