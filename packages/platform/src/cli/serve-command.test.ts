import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importVersions } from '../serving/deployments/test-support/deployment-fixtures.js'
import { cliSandbox, type CliResult } from './test-support/run-cli.js'

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('ballast serve', () => {
  const sandbox = cliSandbox()
  const stop = new AbortController()
  let url = ''
  let serving: Promise<CliResult>

  beforeAll(async () => {
    await sandbox.seed(async (_ballast, runtime) => {
      await importVersions(runtime.services, 'ident', 1)
      await runtime.services.serving.deployments.create(
        { name: 'echo', model: 'ident/1' },
        'tester',
      )
    })
    let announced: (url: string) => void = () => {}
    const listening = new Promise<string>((resolve) => (announced = resolve))
    let printed = ''
    serving = sandbox.run(['serve', '--deployment', 'echo', '--port', '0'], {
      signal: stop.signal,
      onStdout: (text) => {
        printed += text
        const match = /listening on (http:\/\/\S+)/.exec(printed)
        if (match) announced(match[1]!)
      },
    })
    url = await Promise.race([
      listening,
      serving.then((r) => Promise.reject(new Error(`serve exited ${r.code}: ${r.stderr}`))),
    ])
    await until(async () => (await fetch(`${url}/v2/health/ready`)).status === 200)
  })
  afterAll(async () => {
    stop.abort()
    await serving
    sandbox.dispose()
  })

  it('answers the deployment over the Open Inference Protocol', async () => {
    const res = await fetch(`${url}/v2/models/echo/infer`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        id: 'one',
        inputs: [{ name: 'x', datatype: 'FP32', shape: [2, 1], data: [1.5, -2] }],
      }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      model_name: 'echo',
      model_version: '1',
      id: 'one',
      parameters: { model: 'ident' },
      outputs: [{ name: 'y', datatype: 'FP32', shape: [2, 1], data: [1.5, -2] }],
    })
    expect((await fetch(`${url}/health/ready`)).status).toBe(200)
    const metrics = await (await fetch(`${url}/metrics`)).text()
    expect(metrics).toContain(
      'ballast_serving_requests_total{deployment="echo",model="ident",version="1"} 1',
    )
  })

  it('serves only the data plane', async () => {
    const res = await fetch(`${url}/api/v1/deployments`)
    expect(res.status).toBe(404)
  })

  it('refuses a deployment that does not exist (exit 3)', async () => {
    const result = await sandbox.run(['serve', '--deployment', 'nope', '--port', '0'])
    expect(result.code).toBe(3)
    expect(result.stderr).toBe("error: Deployment 'nope' not found\n")
  })
})
