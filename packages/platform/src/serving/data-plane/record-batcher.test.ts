import { describe, expect, it } from 'vitest'
import { RecordBatcher } from './record-batcher.js'
import { fakeModel } from './test-support/fakes.js'

describe('RecordBatcher', () => {
  it('runs the records of requests that arrive together as one model run', async () => {
    const model = fakeModel('m', 1)
    const batcher = new RecordBatcher(model)
    const answers = await Promise.all([
      batcher.predict([{ x: 1 }]),
      batcher.predict([{ x: 2 }, { x: 3 }]),
      batcher.predict([{ x: 4 }]),
    ])
    expect(answers).toEqual([
      [{ prediction: 11 }],
      [{ prediction: 21 }, { prediction: 31 }],
      [{ prediction: 41 }],
    ])
    expect(model.calls).toBe(1)
  })

  it('fails only the request with the bad record, naming its own index', async () => {
    const model = fakeModel('m', 1)
    const batcher = new RecordBatcher(model)
    const [good, bad] = await Promise.allSettled([
      batcher.predict([{ x: 1 }]),
      batcher.predict([{ x: 2 }, { x: 'no' }]),
    ])
    expect(good).toEqual({ status: 'fulfilled', value: [{ prediction: 11 }] })
    expect(bad).toMatchObject({
      status: 'rejected',
      reason: { status: 400, message: 'records[1].x: expected a number, got "no"' },
    })
  })

  it('keeps runs within the row limit', async () => {
    const model = fakeModel('m', 1)
    const batcher = new RecordBatcher(model, 3)
    const answers = await Promise.all([
      batcher.predict([{ x: 1 }, { x: 2 }]),
      batcher.predict([{ x: 3 }, { x: 4 }]),
      batcher.predict([{ x: 5 }]),
    ])
    expect(answers.flat().map((p) => p.prediction)).toEqual([11, 21, 31, 41, 51])
    expect(model.calls).toBe(2)
  })
})
