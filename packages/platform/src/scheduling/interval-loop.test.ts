import { describe, expect, it } from 'vitest'
import { IntervalLoop } from './interval-loop.js'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('IntervalLoop', () => {
  it('never overlaps runs, goes on after a failure, and stop() waits for the run in progress', async () => {
    const events: string[] = []
    const errors: unknown[] = []
    let active = 0
    let runs = 0
    const loop = new IntervalLoop(
      async () => {
        runs += 1
        active += 1
        events.push(`start ${runs} (active ${active})`)
        await pause(15)
        active -= 1
        events.push(`end ${runs}`)
        if (runs === 1) throw new Error('first run fails')
      },
      1,
      (error) => errors.push(error),
    )
    loop.start()
    loop.start() // a second start does not start a second chain
    while (runs < 3) await pause(5)
    expect(loop.stopping).toBe(false)
    await loop.stop()
    expect(loop.stopping).toBe(true)
    const last = events.at(-1)
    // The run in progress when stop() was called ended before stop() returned; no other began.
    expect(last).toBe(`end ${runs}`)
    expect(events.filter((e) => e.includes('active 2'))).toEqual([])
    expect(errors.map((e) => (e as Error).message)).toEqual(['first run fails'])
    const seen = runs
    await pause(20)
    expect(runs).toBe(seen)
  })
})
