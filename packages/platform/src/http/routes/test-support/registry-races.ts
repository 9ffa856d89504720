import { expect } from 'vitest'
import type { MlflowTestClient } from './mlflow-test-client.js'

/**
 * Races run on every backend: concurrent version creates must number 1..n without a clash, and of
 * concurrent compare-and-set promotions from the same version exactly one may win.
 */
export async function expectConcurrentCreatesNumberedOnce(
  t: MlflowTestClient,
  count: number,
): Promise<void> {
  const { runId } = await t.createRun('race')
  await t.post('registered-models/create', { name: 'raced' })
  const answers = await Promise.all(
    Array.from({ length: count }, () =>
      t.post('model-versions/create', { name: 'raced', source: `runs:/${runId}/model` }),
    ),
  )
  expect(answers.map((a) => a.status)).toEqual(Array.from({ length: count }, () => 200))
  const numbers = answers.map((a) => Number(a.body.model_version.version)).sort((a, b) => a - b)
  expect(numbers).toEqual(Array.from({ length: count }, (_, i) => i + 1))
}

export async function expectOneCompareAndSetWinner(t: MlflowTestClient): Promise<void> {
  const { runId } = await t.createRun('cas')
  await t.post('registered-models/create', { name: 'cas' })
  for (let i = 0; i < 5; i++) {
    await t.post('model-versions/create', { name: 'cas', source: `runs:/${runId}/model` })
  }
  await t.post('registered-models/alias', { name: 'cas', alias: 'prod', version: '1' })
  const answers = await Promise.all(
    [2, 3, 4, 5].map((version) =>
      t.post('registered-models/alias', {
        name: 'cas',
        alias: 'prod',
        version: String(version),
        expected_version: '1',
      }),
    ),
  )
  const statuses = answers.map((a) => a.status).sort()
  expect(statuses).toEqual([200, 409, 409, 409])
  const winner = [2, 3, 4, 5][answers.findIndex((a) => a.status === 200)]
  const now = await t.get('registered-models/alias', { name: 'cas', alias: 'prod' })
  expect(now.body.model_version.version).toBe(String(winner))
}
