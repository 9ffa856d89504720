import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckEngine } from '../../data/index.js'
import { encodeSegmentLine, sqlLiteral, writeSegmentFile } from './segment-file.js'
import { predictionRow } from './test-support/prediction-log-fixture.js'

const T0 = Date.UTC(2026, 10, 26, 12, 0, 0)

let engine: DuckEngine
let dir: string
beforeAll(async () => {
  engine = await DuckEngine.open({ threads: 1 })
  dir = mkdtempSync(path.join(tmpdir(), 'ballast-segment-file-'))
})
afterAll(() => {
  engine.close()
  rmSync(dir, { recursive: true, force: true })
})

async function readBack(file: string): Promise<Record<string, unknown>[]> {
  return engine.all(
    `SELECT request_id, deployment, model, version, epoch_ms(time) AS time_ms, latency_ms, inputs, outputs, shadow FROM read_parquet(${sqlLiteral(file)})`,
  )
}

describe('writeSegmentFile', () => {
  it('stores text exactly as given: quotes, newlines, backslashes, accents and emoji', async () => {
    const inputs = JSON.stringify({ note: 'line 1\nline "2"\t\\ end', city: 'Zürich', mood: '🙂' })
    const outputs = '{"prediction":"naïve \\"yes\\""}'
    const file = path.join(dir, 'text.parquet')
    await writeSegmentFile(
      engine,
      [encodeSegmentLine(predictionRow('r-é-1', T0, { inputs, outputs, latencyMs: 0.1 + 0.2 }))],
      file,
    )
    expect(await readBack(file)).toEqual([
      {
        request_id: 'r-é-1',
        deployment: 'churn',
        model: 'churn-model',
        version: 3,
        time_ms: T0,
        // The double itself, not a rounded print of it.
        latency_ms: 0.30000000000000004,
        inputs,
        outputs,
        shadow: false,
      },
    ])
    // The scratch file is gone once the segment is written.
    expect(existsSync(`${file}.jsonl`)).toBe(false)
  })

  it('keeps row order across write slices, and writes a version that is not a number as null', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) =>
      encodeSegmentLine(
        predictionRow(`r-${i}`, T0 + i, {
          version: i === 4321 ? Number.NaN : 3,
          shadow: i % 2 === 1,
        }),
      ),
    )
    const file = path.join(dir, 'many.parquet')
    await writeSegmentFile(engine, rows, file)
    const back = await readBack(file)
    expect(back).toHaveLength(5000)
    expect(back.map((r) => r.request_id)).toEqual(rows.map((_, i) => `r-${i}`))
    expect(back.map((r) => r.time_ms)).toEqual(rows.map((_, i) => T0 + i))
    expect(back[4321]).toMatchObject({ version: null, shadow: true })
    expect(back[4320]).toMatchObject({ version: 3, shadow: false })
  })

  it('writes a row longer than DuckDB’s default largest JSON object (16 MiB)', async () => {
    // 36 MiB of UTF-8 in one line: past the twice-16 MiB buffer DuckDB reads with by default.
    const inputs = JSON.stringify({ blob: '€'.repeat(12 * 1024 * 1024) })
    const file = path.join(dir, 'long.parquet')
    await writeSegmentFile(engine, [encodeSegmentLine(predictionRow('big', T0, { inputs }))], file)
    const [row] = await engine.all(
      `SELECT request_id, length(inputs) AS n FROM read_parquet(${sqlLiteral(file)})`,
    )
    expect(row).toEqual({ request_id: 'big', n: inputs.length })
  })

  it('writes a lone surrogate as U+FFFD instead of failing the segment', async () => {
    const file = path.join(dir, 'surrogate.parquet')
    const row = predictionRow('r-\ud800', T0, { outputs: '{"prediction":"a\udc00b"}' })
    await writeSegmentFile(engine, [encodeSegmentLine(row)], file)
    expect((await readBack(file)).map((r) => [r.request_id, r.outputs])).toEqual([
      ['r-\ufffd', '{"prediction":"a\ufffdb"}'],
    ])
  })

  it('leaves no scratch file behind when DuckDB cannot write the segment', async () => {
    // A folder where the Parquet file should go: the scratch file is written, the COPY fails.
    const file = path.join(dir, 'a-folder')
    mkdirSync(file)
    await expect(
      writeSegmentFile(engine, [encodeSegmentLine(predictionRow('a', T0))], file),
    ).rejects.toThrow()
    expect(existsSync(`${file}.jsonl`)).toBe(false)
  })
})
