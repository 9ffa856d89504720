import { availableParallelism } from 'node:os'
import { AppError } from '@ballast/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TabularModel, trainTabular } from '../../training/index.js'
import { syntheticTable } from '../../training/tabular/test-support/synthetic-table.js'
import { type BatchInput, BatchSession } from './batch-session.js'
import { BatchWorkerPool, defaultBatchWorkers } from './batch-workers.js'

const ROWS = 300

/** The synthetic rows as the classifier's graph inputs, in its input order. */
function inputsOf(session: BatchSession, seed: number): BatchInput[] {
  const table = syntheticTable(ROWS, seed)
  const value = (name: string) => table.columns.find((c) => c.name === name)!.values
  const feeds = new Map([
    ['x', { type: 'float32' as const, data: Float32Array.from(value('x') as Float64Array) }],
    ['color', { type: 'string' as const, data: (value('color') as string[]).map((v) => v ?? '') }],
  ])
  return session.inputs(feeds, ROWS)
}

describe('BatchWorkerPool', () => {
  let model: TabularModel
  let session: BatchSession
  let pool: BatchWorkerPool

  beforeAll(async () => {
    model = await trainTabular(syntheticTable(2000, 1), {
      target: 'kind',
      task: 'classification',
      algo: 'gbdt',
      features: ['x', 'color'],
      params: { numTrees: '90', seed: '1' },
    })
    session = await BatchSession.load(model.onnx)
    pool = await BatchWorkerPool.start(model.onnx, 2)
  }, 60_000)
  afterAll(async () => {
    await pool.release()
    await session.release()
  })

  it('answers every batch as this thread’s session does, to the last bit, whichever worker runs it', async () => {
    expect(pool.size).toBe(2)
    const batches = [1, 2, 3, 4, 5].map((seed) => inputsOf(session, seed))
    // All five sent at once: the workers take them in turn and answer each one by its own id.
    const answers = await Promise.all(batches.map((b) => pool.run(b, ['label', 'probabilities'])))
    for (const [i, batch] of batches.entries()) {
      const expected = await session.runInputs(batch, ['label', 'probabilities'])
      expect(answers[i]!.label!.data).toEqual(expected.label!.data)
      expect(answers[i]!.probabilities!.data).toEqual(expected.probabilities!.data)
      expect(answers[i]!.probabilities!.dims).toEqual([ROWS, 3])
    }
  })

  it('rejects a batch onnxruntime refuses with the message this thread’s session gives, and goes on', async () => {
    const batch = inputsOf(session, 1)
    const wrong = batch.map((b) => (b.name === 'x' ? { ...b, dims: [ROWS, 2] } : b))
    const local = await session.runInputs(wrong, ['label']).then(
      () => null,
      (error: Error) => error,
    )
    expect(local).toBeInstanceOf(Error)
    await expect(pool.run(wrong, ['label'])).rejects.toThrow(local!.message)
    const after = await pool.run(batch, ['label'])
    expect(after.label!.data).toEqual((await session.runInputs(batch, ['label'])).label!.data)
  })

  it('refuses a model onnxruntime cannot load before scoring anything, as a session here does', async () => {
    const broken = model.onnx.slice(0, 200)
    const local = await BatchSession.load(broken).then(
      () => null,
      (error: Error) => error,
    )
    expect(local).toBeInstanceOf(Error)
    await expect(BatchWorkerPool.start(broken, 2)).rejects.toThrow(local!.message)
  })

  it('returns onnxruntime’s own errors as plain errors naming what it refused', async () => {
    const unknownOutput = await pool.run(inputsOf(session, 1), ['no_such_output']).then(
      () => null,
      (error: Error) => error,
    )
    expect(unknownOutput).toBeInstanceOf(Error)
    expect(unknownOutput).not.toBeInstanceOf(AppError)
    expect(unknownOutput!.message).toContain('no_such_output')
  })

  it('defaults to one worker per core, at most 4', () => {
    expect(defaultBatchWorkers()).toBe(Math.min(4, availableParallelism()))
  })
})
