import { expect, it, vi } from 'vitest'
import { onShutdownSignals } from './server.js'

it('calls close on the first SIGTERM or SIGINT only, then lets go of the signals', async () => {
  const term = process.listenerCount('SIGTERM')
  const int = process.listenerCount('SIGINT')
  const close = vi.fn(async () => {})
  onShutdownSignals(close)
  expect(process.listenerCount('SIGTERM')).toBe(term + 1)
  expect(process.listenerCount('SIGINT')).toBe(int + 1)
  process.emit('SIGINT')
  expect(close).toHaveBeenCalledTimes(1)
  // Removed after the first signal: a second one gets Node's default (the process ends).
  expect(process.listenerCount('SIGTERM')).toBe(term)
  expect(process.listenerCount('SIGINT')).toBe(int)
})

it('sets a failing exit code when the shutdown fails', async () => {
  const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  const previous = process.exitCode
  try {
    onShutdownSignals(async () => {
      throw new Error('store would not close')
    })
    process.emit('SIGTERM')
    await new Promise((resolve) => setImmediate(resolve))
    expect(process.exitCode).toBe(1)
    expect(String(write.mock.calls[0]?.[0])).toContain(
      'ballast: shutdown failed: Error: store would not close',
    )
  } finally {
    process.exitCode = previous
    write.mockRestore()
  }
})

it('can be unwired without a signal', () => {
  const before = process.listenerCount('SIGINT')
  const remove = onShutdownSignals(async () => {})
  remove()
  expect(process.listenerCount('SIGINT')).toBe(before)
})
