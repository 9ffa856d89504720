import { tmpdir } from 'node:os'
import { describe, expect, it } from 'vitest'
import { runProcess } from './run-process.js'

function capture() {
  const out = { stdout: '', stderr: '' }
  const streams = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
  }
  return { out, streams }
}

const node = (code: string, maxOutputBytes?: number) => {
  const { out, streams } = capture()
  const outcome = runProcess({
    command: process.execPath,
    args: ['-e', code],
    cwd: tmpdir(),
    env: {},
    streams,
    forwardSignals: false,
    ...(maxOutputBytes === undefined ? {} : { maxOutputBytes }),
  })
  return { out, outcome }
}

describe('runProcess', () => {
  it('passes all output through but keeps only the last bytes of each stream', async () => {
    const { out, outcome } = node(
      "process.stdout.write('a'.repeat(90) + '0123456789'); process.stderr.write('é!')",
      10,
    )
    const result = await outcome
    expect(result.exitCode).toBe(0)
    expect(out.stdout).toBe(`${'a'.repeat(90)}0123456789`)
    expect(out.stderr).toBe('é!')
    expect(result.stdout.dropped).toBe(90)
    expect(result.stdout.contents().toString()).toMatch(
      /dropped, the last 10 bytes follow\]\n0123456789$/,
    )
    expect(result.stderr.contents().toString()).toBe('é!')
  })

  it('reports a command killed by a signal with 128 + its number', async () => {
    const result = await node("process.kill(process.pid, 'SIGKILL')").outcome
    expect(result).toMatchObject({ exitCode: 137, signal: 'SIGKILL' })
    expect(result.interruptedBy).toBeUndefined()
  })

  it('names a command that cannot be started', async () => {
    await expect(
      runProcess({
        command: './not-here.sh',
        args: [],
        cwd: tmpdir(),
        env: {},
        streams: capture().streams,
        forwardSignals: false,
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      message: "cannot run './not-here.sh': command not found",
    })
  })
})
