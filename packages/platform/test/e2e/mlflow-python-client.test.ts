import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/index.js'
import { startServer, type RunningServer } from '../../src/http/server.js'
import { openRuntime } from '../../src/runtime/open-runtime.js'

const SCRIPT = fileURLToPath(new URL('./mlflow_rest_client.py', import.meta.url))

function runPython(
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (status) => {
      clearTimeout(timer)
      resolve({ status, stdout, stderr })
    })
  })
}

describe('an MLflow REST client written in Python', () => {
  const home = mkdtempSync(path.join(tmpdir(), 'ballast-e2e-mlflow-'))
  let server: RunningServer

  beforeAll(async () => {
    const config = loadConfig({ env: { BALLAST_LOG_LEVEL: 'silent' }, flags: { home }, cwd: home })
    server = await startServer(await openRuntime(config), { host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    await server.close()
    rmSync(home, { recursive: true, force: true })
  })

  it('tracks an experiment end to end the way MLflow clients do', async () => {
    // Asynchronous: the server answering the script runs in this process.
    const result = await runPython([SCRIPT, server.url])
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      run_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    })
  })
})

describe('an MLflow REST client against a server with auth on', () => {
  const home = mkdtempSync(path.join(tmpdir(), 'ballast-e2e-mlflow-auth-'))
  let server: RunningServer
  let editorToken: string

  beforeAll(async () => {
    const config = loadConfig({
      env: { BALLAST_LOG_LEVEL: 'silent', BALLAST_AUTH: 'true' },
      flags: { home },
      cwd: home,
    })
    const runtime = await openRuntime(config)
    editorToken = (await runtime.services.tokens.createToken({ name: 'trainer', role: 'editor' }))
      .token
    server = await startServer(runtime, { host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    await server.close()
    rmSync(home, { recursive: true, force: true })
  })

  it('logs with the token as the Basic-auth password (MLFLOW_TRACKING_USERNAME/PASSWORD)', async () => {
    const result = await runPython([SCRIPT, server.url, editorToken])
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })

  it('is refused without a token', async () => {
    const result = await runPython([SCRIPT, server.url])
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('experiments/create: expected 200, got 401')
  })
})
