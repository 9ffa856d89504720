import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Ballast, RunRecord } from '@ballast/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config/index.js'
import { startServer, type RunningServer } from '../http/server.js'
import { openRuntime } from '../runtime/open-runtime.js'
import { type CliIo, runCli } from './main.js'
import { formatCommandLine } from './run-command.js'
import { cliSandbox } from './test-support/run-cli.js'

// Logs through the MLflow REST API with nothing but fetch, as any script could.
const NODE_SCRIPT = `
const uri = process.env.MLFLOW_TRACKING_URI
const run_id = process.env.MLFLOW_RUN_ID
async function post(endpoint, body) {
  const res = await fetch(uri + '/api/2.0/mlflow/' + endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ run_id, ...body }),
  })
  if (!res.ok) throw new Error(endpoint + ': ' + res.status + ' ' + (await res.text()))
}
await post('runs/log-metric', { key: 'rmse', value: 0.25, timestamp: Date.now(), step: 3 })
await post('runs/log-parameter', { key: 'depth', value: '6' })
console.log('experiment ' + process.env.MLFLOW_EXPERIMENT_ID + ' token ' + (process.env.MLFLOW_TRACKING_TOKEN ?? '-'))
const code = Number(process.argv[2] ?? '0')
if (code !== 0) console.error('diverged at step 3')
process.exitCode = code
`

const PYTHON_SCRIPT = `
import json, os, time, urllib.request
uri = os.environ["MLFLOW_TRACKING_URI"]
body = {"run_id": os.environ["MLFLOW_RUN_ID"], "key": "accuracy", "value": 0.875,
        "timestamp": int(time.time() * 1000), "step": 1}
req = urllib.request.Request(uri + "/api/2.0/mlflow/runs/log-metric", json.dumps(body).encode(),
                             {"Content-Type": "application/json"})
urllib.request.urlopen(req).read()
print("python done")
`

// Prints once it can be interrupted, then waits to be.
const WAIT_SCRIPT = `
process.stdout.write('ready\\n')
setInterval(() => {}, 1000)
`

const RUN_LINE = /^ballast run: run ([0-9a-f]{32}) \((.+)\) in experiment '(.+)' \(id (\d+)\)\n/

describe('ballast run', () => {
  const sandbox = cliSandbox()
  const env = { PATH: process.env.PATH, USER: 'ana' }

  function run(
    args: readonly string[],
    options: { signal?: AbortSignal; onStdout?: (text: string) => void } = {},
  ) {
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
      env,
      cwd: sandbox.dir,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    }
    return runCli(['--home', sandbox.home, ...args], io).then((code) => {
      const match = RUN_LINE.exec(stderr)
      return { code, stdout, stderr, runId: match?.[1], experimentId: match?.[4], match }
    })
  }

  const readRun = (runId: string) => sandbox.seed((ballast) => ballast.getRun(runId))
  const readArtifact = (ballast: Ballast, run: RunRecord, name: string) =>
    ballast.http
      .send({
        method: 'GET',
        path: `/api/2.0/mlflow-artifacts/artifacts/${run.info.experiment_id}/${run.info.run_id}/artifacts/${name}`,
      })
      .then((res) => res.text())
  const tags = (run: RunRecord) =>
    Object.fromEntries((run.data.tags ?? []).map((t) => [t.key, t.value]))

  beforeAll(() => {
    writeFileSync(path.join(sandbox.dir, 'train.mjs'), NODE_SCRIPT)
    writeFileSync(path.join(sandbox.dir, 'train.py'), PYTHON_SCRIPT)
    writeFileSync(path.join(sandbox.dir, 'wait.mjs'), WAIT_SCRIPT)
  })
  afterAll(() => sandbox.dispose())

  it('tracks a script that logs over the MLflow API: FINISHED, params, tags, stdout artifact', async () => {
    const result = await run([
      'run',
      '--experiment',
      'churn',
      '--run-name',
      'baseline',
      '--param',
      'lr=0.1',
      '--',
      process.execPath,
      'train.mjs',
    ])
    expect(result.code).toBe(0)
    expect(result.match).not.toBeNull()
    expect(result.match![2]).toBe('baseline')
    expect(result.match![3]).toBe('churn')
    expect(result.stdout).toBe(`experiment ${result.experimentId} token -\n`)
    expect(result.stderr).toMatch(
      /\nballast run: run [0-9a-f]{32} ended FINISHED \(exit code 0\)\n$/,
    )

    await sandbox.seed(async (ballast) => {
      const record = await ballast.getRun(result.runId!)
      expect(record.info).toMatchObject({ status: 'FINISHED', run_name: 'baseline' })
      expect(record.data.metrics).toEqual([
        expect.objectContaining({ key: 'rmse', value: 0.25, step: 3 }),
      ])
      expect(Object.fromEntries((record.data.params ?? []).map((p) => [p.key, p.value]))).toEqual({
        lr: '0.1',
        depth: '6',
      })
      expect(tags(record)).toMatchObject({
        'mlflow.source.name': `${process.execPath} train.mjs`,
        'mlflow.source.type': 'LOCAL',
        'mlflow.user': 'ana',
        'ballast.exit_code': '0',
      })
      expect(await readArtifact(ballast, record, 'stdout.txt')).toBe(result.stdout)
      expect(await readArtifact(ballast, record, 'stderr.txt')).toBe('')
    })
  })

  it('marks a failing command FAILED, keeps its stderr, and exits with its code', async () => {
    const result = await run(['run', '--', process.execPath, 'train.mjs', '3'])
    expect(result.code).toBe(3)
    expect(result.match![3]).toBe('Default')
    expect(result.experimentId).toBe('0')
    expect(result.stderr).toContain('diverged at step 3\n')
    expect(result.stderr).toMatch(/ended FAILED \(exit code 3\)\n$/)
    await sandbox.seed(async (ballast) => {
      const record = await ballast.getRun(result.runId!)
      expect(record.info.status).toBe('FAILED')
      expect(tags(record)['ballast.exit_code']).toBe('3')
      expect(await readArtifact(ballast, record, 'stderr.txt')).toBe('diverged at step 3\n')
    })
  })

  it('refuses a command that does not exist with exit code 2, and ends the run FAILED', async () => {
    const result = await run(['run', '--experiment', 'missing', '--', 'no-such-command-7f3a'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /\nerror: cannot run 'no-such-command-7f3a': command not found\n$/,
    )
    expect((await readRun(result.runId!)).info.status).toBe('FAILED')
  })

  it('tracks a python script using urllib', async () => {
    const result = await run(['run', '--experiment', 'py', '--', 'python3', 'train.py'])
    expect(result.stderr).toMatch(RUN_LINE)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('python done\n')
    const record = await readRun(result.runId!)
    expect(record.info.status).toBe('FINISHED')
    expect(record.data.metrics).toEqual([
      expect.objectContaining({ key: 'accuracy', value: 0.875, step: 1 }),
    ])
  })

  it('forwards a termination to the command and ends the run KILLED with 128 + signal', async () => {
    const abort = new AbortController()
    const result = await run(['run', '--', process.execPath, 'wait.mjs'], {
      signal: abort.signal,
      onStdout: (text) => {
        if (text.includes('ready')) abort.abort()
      },
    })
    expect(result.code).toBe(143)
    expect(result.stderr).toMatch(/ended KILLED \(signal SIGTERM\)\n$/)
    const record = await readRun(result.runId!)
    expect(record.info.status).toBe('KILLED')
    expect(tags(record)).toMatchObject({ 'ballast.exit_code': '143', 'ballast.signal': 'SIGTERM' })
  })

  it('tags the git commit of the working folder', async () => {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: sandbox.dir, env, encoding: 'utf8' }).trim()
    git('init', '-q')
    git(
      '-c',
      'user.name=a',
      '-c',
      'user.email=a@example.com',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'x',
    )
    const head = git('rev-parse', 'HEAD')
    const result = await run(['run', '--', process.execPath, '-e', ''])
    expect(result.code).toBe(0)
    expect(tags(await readRun(result.runId!))['mlflow.source.git.commit']).toBe(head)
  })

  it('needs a command', async () => {
    const result = await run(['run', '--experiment', 'x'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("missing required argument 'command'")
  })

  describe('through a server (--url)', () => {
    let server: RunningServer
    beforeAll(async () => {
      const home = path.join(sandbox.dir, 'server-home')
      mkdirSync(home)
      const runtime = await openRuntime(
        loadConfig({ flags: { home, 'log.level': 'warn' }, env: {}, cwd: sandbox.dir }),
      )
      server = await startServer(runtime, { host: '127.0.0.1', port: 0 })
    })
    afterAll(() => server.close())

    it('points the command at that server and passes the token on', async () => {
      const result = await run([
        '--url',
        server.url,
        '--token',
        'not-checked-here',
        'run',
        '--experiment',
        'remote',
        '--',
        process.execPath,
        'train.mjs',
      ])
      expect(result.code).toBe(0)
      expect(result.stdout).toBe(`experiment ${result.experimentId} token not-checked-here\n`)
      const res = await fetch(`${server.url}/api/2.0/mlflow/runs/get?run_id=${result.runId}`)
      const { run: record } = (await res.json()) as { run: RunRecord }
      expect(record.info.status).toBe('FINISHED')
      expect(record.data.metrics?.[0]).toMatchObject({ key: 'rmse', value: 0.25 })
    })
  })
})

describe('formatCommandLine', () => {
  it('quotes what a shell would split or expand', () => {
    expect(formatCommandLine(['python', 'train.py', '--lr=0.1', 'a b', "it's", '$HOME'])).toBe(
      `python train.py --lr=0.1 'a b' 'it'\\''s' '$HOME'`,
    )
  })
})
