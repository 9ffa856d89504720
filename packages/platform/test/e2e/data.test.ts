import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliIo, runCli } from '../../src/cli/main.js'
import { loadConfig } from '../../src/config/index.js'
import { VEGA_DATA } from '../../src/data/test-support/open-test-data.js'
import { type RunningServer, startServer } from '../../src/http/server.js'
import { openRuntime } from '../../src/runtime/open-runtime.js'

/** `ballast data` against a real server: the file streams over a socket. */
describe('ballast data through a server', () => {
  let dir: string
  let server: RunningServer

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ballast-data-e2e-'))
    const config = loadConfig({
      flags: {
        home: path.join(dir, 'home'),
        'log.level': 'warn',
        'server.artifactBodyLimitBytes': 100_000,
      },
      env: {},
      cwd: dir,
    })
    server = await startServer(await openRuntime(config), { host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = ''
    let stderr = ''
    const io: CliIo = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      cwd: dir,
    }
    const code = await runCli([...args, '--url', server.url], io)
    return { code, stdout, stderr }
  }

  it('ingests a file streamed to the server, then reads it back', async () => {
    const ingest = await cli([
      'data',
      'ingest',
      path.join(VEGA_DATA, 'seattle-weather.csv'),
      '--name',
      'weather',
    ])
    expect(ingest.stderr).toBe('')
    expect(ingest.stdout).toMatch(/^ingested seattle-weather\.csv as weather@1: 1461 rows/)
    const head = await cli(['data', 'head', 'weather', '-n', '1', '--json'])
    expect(JSON.parse(head.stdout)).toMatchObject({
      rows: [{ date: '2012-01-01', weather: 'drizzle' }],
    })
  })

  it('refuses a file over the server limit with exit 2, naming the setting', async () => {
    const big = path.join(dir, 'big.csv')
    writeFileSync(big, `a\n${'1\n'.repeat(60_000)}`)
    const result = await cli(['data', 'ingest', big, '--name', 'big'])
    expect(result).toMatchObject({
      code: 2,
      stderr:
        'error: request body exceeds the limit of 100000 bytes (server.artifactBodyLimitBytes)\n',
    })
  })
})
