import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'

/** An S3-compatible server (moto) on a loopback port, for `.s3.test.ts` files. */
export interface MotoServer {
  readonly endpoint: string
  stop(): Promise<void>
}

/**
 * Runs moto.server with a thread that exits the process as soon as its parent is gone: a test
 * worker that is killed outright gets no chance to stop the server itself.
 */
const LAUNCHER = `
import os, runpy, sys, threading, time
parent = os.getppid()
def watch():
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)
threading.Thread(target=watch, daemon=True).start()
sys.argv = ['moto.server'] + sys.argv[1:]
runpy.run_module('moto.server', run_name='__main__')
`

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port)
        else reject(new Error('could not read the port of a probe socket'))
      })
    })
  })
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

/**
 * Starts `python3 -m moto.server` and waits until it answers. The server is stopped by `stop()`,
 * when this process exits, and by itself when this process dies without exiting cleanly.
 */
export async function startMotoServer(timeoutMs = 30_000): Promise<MotoServer> {
  const port = await freePort()
  const child = spawn('python3', ['-c', LAUNCHER, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (data: Buffer) => {
    stderr = (stderr + data.toString()).slice(-4000)
  })
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  const stop = async () => {
    process.removeListener('exit', killOnExit)
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited(child)
    clearTimeout(timer)
  }

  const endpoint = `http://127.0.0.1:${port}`
  const deadline = Date.now() + timeoutMs
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`moto.server exited with ${child.exitCode}: ${stderr}`)
      try {
        await fetch(endpoint, { signal: AbortSignal.timeout(1000) })
        return { endpoint, stop }
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline)
        throw new Error(
          `moto.server did not answer on ${endpoint} within ${timeoutMs} ms: ${stderr}`,
        )
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  } catch (error) {
    await stop()
    throw error
  }
}
