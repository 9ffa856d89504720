import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type CliSandbox, cliSandbox } from './test-support/run-cli.js'

describe('ballast runs plot', () => {
  let sandbox: CliSandbox
  afterEach(() => sandbox.dispose())

  it('draws each run and metric as a line in an SVG file', async () => {
    sandbox = cliSandbox()
    const [a, b] = await sandbox.seed(async (ballast) => {
      const runs = [
        await ballast.startRun({ experiment: 'plots', name: 'first' }),
        await ballast.startRun({ experiment: 'plots', name: 'second' }),
      ]
      for (const [i, run] of runs.entries()) {
        for (let step = 0; step < 20; step++) run.logMetric('loss', (i + 1) / (step + 1), step)
        run.logMetric('loss', Number.NaN, 20)
        await run.end()
      }
      return runs.map((r) => r.id)
    })
    const result = await sandbox.run([
      'runs',
      'plot',
      a!,
      b!,
      '--metric',
      'loss',
      '--output',
      'loss.svg',
    ])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(
      `wrote ${path.join(sandbox.dir, 'loss.svg')} (2 series, 42 points)\n`,
    )
    const svg = readFileSync(path.join(sandbox.dir, 'loss.svg'), 'utf8')
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg.match(/<polyline/g)).toHaveLength(2)
    expect(svg).toContain('>first loss</text>')
    expect(svg).toContain('>second loss</text>')
  })

  it('refuses a metric with no history and a non-SVG output, with exit code 2', async () => {
    sandbox = cliSandbox()
    const runId = await sandbox.seed(
      async (ballast) => (await ballast.startRun({ experiment: 'plots' })).id,
    )
    const none = await sandbox.run(['runs', 'plot', runId, '--metric', 'nope', '--output', 'x.svg'])
    expect(none).toMatchObject({ code: 2, stderr: 'error: no history for metric(s) nope\n' })
    const png = await sandbox.run(['runs', 'plot', runId, '--metric', 'loss', '--output', 'x.png'])
    expect(png).toMatchObject({
      code: 2,
      stderr: "error: --output must name an .svg file, got 'x.png'\n",
    })
  })
})
