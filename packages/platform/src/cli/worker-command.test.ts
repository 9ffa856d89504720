import { afterAll, describe, expect, it } from 'vitest'
import { cliSandbox } from './test-support/run-cli.js'

describe('ballast worker', () => {
  const sandbox = cliSandbox()
  afterAll(() => sandbox.dispose())

  it('registers as a live worker until its signal, then leaves', async () => {
    const controller = new AbortController()
    let started!: () => void
    const ready = new Promise<void>((resolve) => (started = resolve))
    const running = sandbox.run(['worker'], {
      signal: controller.signal,
      onStdout: (text) => {
        if (text.startsWith('ballast worker ')) started()
      },
    })
    await ready
    const live = await sandbox.seed((_b, runtime) =>
      runtime.services.jobs.liveWorkers(undefined, 60_000),
    )
    expect(live).toHaveLength(1)
    expect(live[0]?.pid).toBe(process.pid)
    controller.abort()
    const result = await running
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^ballast worker \S+ running /)
    expect(
      await sandbox.seed((_b, runtime) => runtime.services.jobs.liveWorkers(undefined, 60_000)),
    ).toEqual([])
  })

  it('refuses an unknown kind and --url', async () => {
    const unknown = await sandbox.run(['worker', '--kinds', 'teleport'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('error: invalid --kinds: unknown job kind teleport (known:')
    const remote = await sandbox.run(['worker', '--url', 'http://127.0.0.1:9'])
    expect(remote.code).toBe(2)
    expect(remote.stderr).toBe(
      'error: ballast worker runs on the store itself: give --db (and --artifacts), not --url\n',
    )
  })
})
