/**
 * Servers the serving benchmark loads besides the one under test, each in its own process:
 * Node's bare HTTP server (what any Node.js server pays for a request on this machine) and
 * `ballast serve --workers N` on the benchmark's home.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export interface ChildServer {
  url: string
  stop(): Promise<void>
}

// node:http alone: reads the body, parses it as JSON and answers a constant.
const BARE_NODE = `
const http = require('node:http')
const server = http.createServer((req, res) => {
  const chunks = []
  req.on('data', (chunk) => chunks.push(chunk))
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'))
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"ok":true}')
  })
})
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
`

/** Resolves with the URL the child prints (`listening on http://…`), once `ready` holds. */
function started(child: ChildProcess, what: string): Promise<ChildServer> {
  child.stderr?.resume()
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.setEncoding('utf8')
    child.stdout!.on('data', (chunk: string) => {
      out += chunk
      const found = /listening on (http:\/\/\S+)/.exec(out)
      if (found) resolve({ url: found[1]!, stop })
    })
    void exited.then(() => reject(new Error(`${what} exited before it listened:\n${out}`)))
  })
}

export function startBareNode(): Promise<ChildServer> {
  const child = spawn(process.execPath, ['-e', BARE_NODE], { stdio: ['ignore', 'pipe', 'pipe'] })
  return started(child, 'the bare node:http server')
}

const BIN = fileURLToPath(new URL('../../bin/ballast.js', import.meta.url))

/** `ballast serve --workers N` on `home`, once every worker is ready. */
export async function startServeWorkers(
  home: string,
  deployment: string,
  workers: number,
): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    [BIN, '--home', home, 'serve', '--deployment', deployment, '--port', '0'].concat(
      '--workers',
      String(workers),
    ),
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BALLAST_LOG_LEVEL: 'warn' } },
  )
  const server = await started(child, 'ballast serve')
  // Each worker answers readiness for itself; one more probe than workers meets them all in turn.
  for (let i = 0; i <= workers; i++) {
    for (;;) {
      const response = await fetch(`${server.url}/v2/health/ready`, {
        headers: { connection: 'close' },
      })
      await response.arrayBuffer()
      if (response.ok) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  return server
}
