import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { trainTabular } from '../../training/index.js'
import { syntheticTable } from '../../training/tabular/test-support/synthetic-table.js'
import type { LoadedModel } from '../serving-types.js'
import { loadModel } from './load-model.js'
import { type RegistryFixture, openRegistryFixture } from './test-support/registered-models.js'

const FEATURES = ['x', 'n', 'flag', 'color', 'when']
const VALID = { x: 1.5, n: 3, flag: true, color: 'red', when: '2005-06-01T12:00:00Z' }

let fixture: RegistryFixture
let served: LoadedModel

beforeAll(async () => {
  fixture = await openRegistryFixture()
  const trained = await trainTabular(syntheticTable(300, 5), {
    target: 'y',
    task: 'regression',
    algo: 'linear',
    features: FEATURES,
  })
  served = await loadModel(fixture.services, 'y', await fixture.registerTabular('y', trained))
})
afterAll(async () => {
  await served.close()
  await fixture.dispose()
})

const rejects = (records: unknown[], message: string) =>
  expect(served.predictRecords(records as Record<string, unknown>[])).rejects.toMatchObject({
    code: 'INVALID_PARAMETER_VALUE',
    message,
  })

describe('predictRecords: every record is checked against the signature', () => {
  it('takes null as a missing value, which the model imputes', async () => {
    const [missing] = await served.predictRecords([
      { x: null, n: null, flag: null, color: null, when: null },
    ])
    expect(Number.isFinite(missing!.prediction)).toBe(true)
  })

  it('refuses an empty batch and a record that is not an object', async () => {
    await rejects([], 'records: expected at least one record')
    await rejects([VALID, [1, 2]], 'records[1]: expected an object of column values, got [1,2]')
    await rejects([null], 'records[0]: expected an object of column values, got null')
  })

  it('names a missing column and an unknown one, with the record index', async () => {
    const { x: _x, ...noX } = VALID
    await rejects([VALID, VALID, noX], 'records[2].x: missing; send null for a missing value')
    await rejects(
      [{ ...VALID, speed: 3 }],
      "records[0].speed: unknown column; the model's inputs are x, n, flag, color, when",
    )
  })

  it('names a value of the wrong type', async () => {
    await rejects(
      [VALID, VALID, VALID, { ...VALID, x: 'abc' }],
      'records[3].x: expected a number, got "abc"',
    )
    await rejects([{ ...VALID, x: true }], 'records[0].x: expected a number, got true')
    await rejects([{ ...VALID, n: 2.5 }], 'records[0].n: expected an integer, got 2.5')
    await rejects([{ ...VALID, n: '2' }], 'records[0].n: expected an integer, got "2"')
    await rejects([{ ...VALID, flag: 'yes' }], 'records[0].flag: expected true or false, got "yes"')
    await rejects([{ ...VALID, flag: 2 }], 'records[0].flag: expected true or false, got 2')
    await rejects([{ ...VALID, color: 3 }], 'records[0].color: expected a string, got 3')
    await rejects(
      [{ ...VALID, color: { name: 'red' } }],
      'records[0].color: expected a string, got {"name":"red"}',
    )
  })

  it('refuses non-finite numbers', async () => {
    await rejects([{ ...VALID, x: Number.NaN }], 'records[0].x: expected a finite number, got NaN')
    await rejects(
      [{ ...VALID, when: Number.POSITIVE_INFINITY }],
      'records[0].when: expected a finite number, got Infinity',
    )
  })

  it('refuses date-times that are not ISO-8601 or not on the calendar', async () => {
    for (const when of ['yesterday', '2015-02-30', '2015-13-01T00:00:00Z', 'March 7, 2015']) {
      await rejects(
        [{ ...VALID, when }],
        `records[0].when: expected an ISO-8601 date-time or epoch milliseconds, got "${when}"`,
      )
    }
  })

  it('accepts 0 and 1 for a boolean, the same as false and true', async () => {
    const [asTrue, asOne, asFalse, asZero] = await served.predictRecords([
      VALID,
      { ...VALID, flag: 1 },
      { ...VALID, flag: false },
      { ...VALID, flag: 0 },
    ])
    expect(asOne).toEqual(asTrue)
    expect(asZero).toEqual(asFalse)
    expect(asTrue).not.toEqual(asFalse)
  })
})
