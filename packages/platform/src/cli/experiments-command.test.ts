import { afterAll, describe, expect, it } from 'vitest'
import { cliSandbox } from './test-support/run-cli.js'

interface ExperimentsJson {
  experiments: Array<{
    experiment_id: string
    name: string
    lifecycle_stage: string
    tags?: unknown
  }>
}

describe('ballast experiments', () => {
  const sandbox = cliSandbox()
  afterAll(() => sandbox.dispose())

  it('creates an experiment with tags and prints its id', async () => {
    const created = await sandbox.run([
      'experiments',
      'create',
      'fraud',
      '--tag',
      'team=risk',
      '--tag',
      'note=a=b',
    ])
    expect(created.code).toBe(0)
    expect(created.stdout).toMatch(/^created experiment 'fraud' with id (\S+)\n$/)
    const id = /with id (\S+)/.exec(created.stdout)![1]!

    const json = await sandbox.json<{ experiment: { name: string; tags?: unknown } }>([
      'experiments',
      'create',
      'churn',
    ])
    expect(Object.keys(json)).toEqual(['experiment_id'])

    const list = await sandbox.json<ExperimentsJson>(['experiments', 'list'])
    const fraud = list.experiments.find((e) => e.name === 'fraud')
    expect(fraud).toMatchObject({
      experiment_id: id,
      lifecycle_stage: 'active',
      tags: expect.arrayContaining([
        { key: 'team', value: 'risk' },
        { key: 'note', value: 'a=b' },
      ]),
    })
    expect(list.experiments.map((e) => e.name)).toEqual(expect.arrayContaining(['fraud', 'churn']))
  })

  it('lists experiments as an aligned table', async () => {
    const result = await sandbox.run(['experiments', 'list'])
    expect(result.code).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^ID +NAME +STAGE +CREATED +ARTIFACT LOCATION$/)
    const fraud = lines.find((l) => / fraud /.test(l))!
    // Columns line up under their headers.
    expect(fraud.indexOf('fraud')).toBe(lines[0]!.indexOf('NAME'))
    expect(fraud.indexOf('active')).toBe(lines[0]!.indexOf('STAGE'))
  })

  it('refuses a duplicate name with exit code 1 and the server message', async () => {
    const result = await sandbox.run(['experiments', 'create', 'fraud'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe('error: Experiment(name=fraud) already exists.\n')
  })

  it('refuses a tag without "="', async () => {
    const result = await sandbox.run(['experiments', 'create', 'x', '--tag', 'oops'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("expected key=value, got 'oops'")
  })
})
