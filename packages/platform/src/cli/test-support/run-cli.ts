import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Ballast } from '@ballast/sdk'
import { loadConfig } from '../../config/index.js'
import { createRuntimeApp } from '../../http/runtime-app.js'
import { openRuntime, type Runtime } from '../../runtime/open-runtime.js'
import { type CliIo, runCli } from '../main.js'

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** A temporary folder used as working directory and `--home`; nothing of the machine leaks in. */
export interface CliSandbox {
  dir: string
  home: string
  /** Runs `ballast <args>` in process with `--home` set and an empty environment. */
  run(
    args: readonly string[],
    options?: { signal?: AbortSignal; home?: boolean; onStdout?: (text: string) => void },
  ): Promise<CliResult>
  /** Parses the stdout of `ballast <args> --json`, failing the test on a non-zero exit. */
  json<T = unknown>(args: readonly string[]): Promise<T>
  /** The SDK over the in-process app on the sandbox home, to create what the CLI reads. */
  seed<T>(work: (ballast: Ballast, runtime: Runtime) => Promise<T>): Promise<T>
  dispose(): void
}

export function cliSandbox(): CliSandbox {
  const dir = mkdtempSync(path.join(tmpdir(), 'ballast-cli-'))
  const home = path.join(dir, 'home')
  const sandbox: CliSandbox = {
    dir,
    home,
    async run(args, options = {}) {
      let stdout = ''
      let stderr = ''
      const io: CliIo = {
        stdout: {
          write: (text: string) => {
            stdout += text
            options.onStdout?.(text)
            return true
          },
        },
        stderr: { write: (text: string) => (stderr += text) },
        env: {},
        cwd: dir,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      }
      const argv = options.home === false ? [...args] : [...args, '--home', home]
      const code = await runCli(argv, io)
      return { code, stdout, stderr }
    },
    async json<T>(args: readonly string[]) {
      const result = await sandbox.run([...args, '--json'])
      if (result.code !== 0)
        throw new Error(`ballast ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
      return JSON.parse(result.stdout) as T
    },
    async seed(work) {
      const runtime = await openRuntime(
        loadConfig({ flags: { home, 'log.level': 'warn' }, env: {}, cwd: dir }),
      )
      try {
        const app = createRuntimeApp(runtime, { authEnabled: false })
        return await work(
          new Ballast({ url: 'http://seed.local', fetch: (i, init) => app.request(i, init) }),
          runtime,
        )
      } finally {
        await runtime.close()
      }
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return sandbox
}
