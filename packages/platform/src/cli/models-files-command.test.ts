import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OnnxGraphBuilder } from '../training/index.js'
import { cliSandbox } from './test-support/run-cli.js'

const ONNX = new OnnxGraphBuilder()
  .input('x', 'float', ['N', 1])
  .node({ opType: 'Identity', inputs: ['x'], outputs: ['y'] })
  .output('y', 'float', ['N', 1])
  .build({ metadata: { task: 'regression' } })

describe('ballast models import | export | card | show', () => {
  const sandbox = cliSandbox()
  let runId = ''

  beforeAll(() => {
    writeFileSync(path.join(sandbox.dir, 'model.onnx'), ONNX)
    writeFileSync(path.join(sandbox.dir, 'model.pkl'), Uint8Array.from([0x80, 0x04, 0x95, 0, 0]))
  })
  afterAll(() => sandbox.dispose())

  it('imports an ONNX file as a new version', async () => {
    const result = await sandbox.run([
      'models',
      'import',
      'model.onnx',
      '--name',
      'delay',
      '--experiment',
      'imports',
      '--description',
      'trained in python',
    ])
    expect(result.code).toBe(0)
    const match = /^imported model\.onnx as delay version 1 \(run ([0-9a-f]{32})\)\n$/.exec(
      result.stdout,
    )
    expect(match).not.toBeNull()
    runId = match?.[1] ?? ''
  })

  it('refuses a pickle before uploading it (exit 2), creating nothing', async () => {
    const result = await sandbox.run(['models', 'import', 'model.pkl', '--name', 'pickled'])
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "error: 'model.pkl' is a Python pickle file; pickle files are never loaded, export the " +
        'model to ONNX (skl2onnx, onnxmltools, torch.onnx)\n',
    })
    expect((await sandbox.run(['models', 'show', 'pickled'])).code).toBe(3)
  })

  it('exports the ONNX file of NAME/VERSION, NAME@ALIAS and NAME', async () => {
    const sha256 = createHash('sha256').update(ONNX).digest('hex')
    const result = await sandbox.run(['models', 'export', 'delay/1', '--output', 'out.onnx'])
    const file = path.join(sandbox.dir, 'out.onnx')
    expect(result).toEqual({
      code: 0,
      stdout: `wrote ${file} (${ONNX.length} bytes, sha256 ${sha256})\n`,
      stderr: '',
    })
    expect(Buffer.compare(readFileSync(file), Buffer.from(ONNX))).toBe(0)
    await sandbox.run(['models', 'alias', 'set', 'delay', 'champion', '1'])
    expect(
      await sandbox.json(['models', 'export', 'delay@champion', '--output', 'b.onnx', '--json']),
    ).toEqual({ output: path.join(sandbox.dir, 'b.onnx'), size: ONNX.length, sha256 })
    expect((await sandbox.run(['models', 'export', 'delay@nope', '--output', 'c.onnx'])).code).toBe(
      3,
    )
  })

  it('prints the card as Markdown, writes it to a file, and as JSON', async () => {
    const md = await sandbox.run(['models', 'card', 'delay@champion'])
    expect(md.code).toBe(0)
    expect(md.stdout).toContain('# Model card: delay version 1\n')
    expect(md.stdout).toContain('- Aliases: champion\n')
    expect(md.stdout).toContain('| x | tensor float32 [-1, 1] |')
    const written = await sandbox.run(['models', 'card', 'delay', '--output', 'card.md'])
    expect(written.stdout).toBe(`wrote ${path.join(sandbox.dir, 'card.md')}\n`)
    expect(readFileSync(path.join(sandbox.dir, 'card.md'), 'utf8')).toBe(md.stdout)
    const json = await sandbox.json<{ model_details: { run_id: string; task: string } }>([
      'models',
      'card',
      'delay/1',
      '--json',
    ])
    expect(json.model_details).toMatchObject({ run_id: runId, task: 'regression' })
  })

  it("shows each version's lineage under the versions", async () => {
    const result = await sandbox.run(['models', 'show', 'delay'])
    expect(result.code).toBe(0)
    const lineage = result.stdout.split('\n\n')[2]?.trimEnd().split('\n') ?? []
    expect(lineage[0]).toMatch(/^VERSION +RUN +RUN NAME +DATASETS +METRICS$/)
    expect(lineage[1]).toMatch(new RegExp(`^1 +${runId} +import-delay +- +-$`))
  })
})
