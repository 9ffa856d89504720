import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliSandbox } from './test-support/run-cli.js'

const MLFLOW = '/api/2.0/mlflow'

describe('ballast models', () => {
  const sandbox = cliSandbox()
  let runId = ''

  beforeAll(async () => {
    runId = await sandbox.seed(async (ballast) => {
      const run = await ballast.request<{ run: { info: { run_id: string } } }>(
        'POST',
        `${MLFLOW}/runs/create`,
        { experiment_id: '0' },
      )
      const id = run.run.info.run_id
      await ballast.request('POST', `${MLFLOW}/registered-models/create`, {
        name: 'fraud',
        description: 'card fraud',
        tags: [{ key: 'team', value: 'risk' }],
      })
      await ballast.request('POST', `${MLFLOW}/registered-models/create`, { name: 'empty' })
      for (let i = 0; i < 3; i++) {
        await ballast.request('POST', `${MLFLOW}/model-versions/create`, {
          name: 'fraud',
          source: `runs:/${id}/model`,
        })
      }
      return id
    })
  })
  afterAll(() => sandbox.dispose())

  it('lists models as a table and as JSON', async () => {
    const result = await sandbox.run(['models', 'list'])
    expect(result.code).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^NAME +LATEST +ALIASES +UPDATED +DESCRIPTION$/)
    expect(lines[1]).toMatch(/^empty +- +- +\S+Z +-$/)
    expect(lines[2]).toMatch(/^fraud +3 +- +\S+Z +card fraud$/)
    const json = await sandbox.json<{ registered_models: Array<{ name: string }> }>([
      'models',
      'list',
      '--filter',
      "name LIKE 'fr%'",
    ])
    expect(json.registered_models.map((m) => m.name)).toEqual(['fraud'])
  })

  it('sets an alias, with compare-and-set refusing a stale expectation (exit 1)', async () => {
    const set = await sandbox.run(['models', 'alias', 'set', 'fraud', 'champion', '2'])
    expect(set).toEqual({
      code: 0,
      stdout: "alias 'champion' of model 'fraud' now points at version 2\n",
      stderr: '',
    })
    const stale = await sandbox.run([
      'models',
      'alias',
      'set',
      'fraud',
      'champion',
      '3',
      '--expect-version',
      '1',
    ])
    expect(stale.code).toBe(1)
    expect(stale.stderr).toBe(
      "error: Alias 'champion' of registered model 'fraud' points at version 2, not version 1 " +
        'as expected_version says; it was not moved\n',
    )
    expect(
      await sandbox.json([
        'models',
        'alias',
        'set',
        'fraud',
        'champion',
        '3',
        '--expect-version',
        '2',
      ]),
    ).toEqual({ name: 'fraud', alias: 'champion', version: '3' })
  })

  it('shows a model with its aliases and versions, newest first', async () => {
    const result = await sandbox.run(['models', 'show', 'fraud'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('name:         fraud\n')
    expect(result.stdout).toContain('description:  card fraud\n')
    expect(result.stdout).toContain('aliases:      champion=v3\n')
    expect(result.stdout).toContain('tags:         team=risk\n')
    const table = result.stdout.split('\n\n')[1]!.trimEnd().split('\n')
    expect(table[0]).toMatch(/^VERSION +STAGE +ALIASES +RUN +CREATED +SOURCE$/)
    expect(table.slice(1).map((l) => l.split(/ +/).slice(0, 3))).toEqual([
      ['3', 'None', 'champion'],
      ['2', 'None', '-'],
      ['1', 'None', '-'],
    ])
    expect(table[1]).toContain(`runs:/${runId}/model`)
  })

  it('lists versions as JSON, and says when a model has none', async () => {
    const json = await sandbox.json<{
      model_versions: Array<{ version: string; aliases?: string[] }>
    }>(['models', 'versions', 'fraud'])
    expect(json.model_versions.map((v) => [v.version, v.aliases])).toEqual([
      ['3', ['champion']],
      ['2', undefined],
      ['1', undefined],
    ])
    expect(await sandbox.run(['models', 'versions', 'empty'])).toEqual({
      code: 0,
      stdout: "model 'empty' has no versions\n",
      stderr: '',
    })
  })

  it('deletes an alias', async () => {
    expect(await sandbox.run(['models', 'alias', 'delete', 'fraud', 'champion'])).toEqual({
      code: 0,
      stdout: "alias 'champion' of model 'fraud' deleted\n",
      stderr: '',
    })
    const shown = await sandbox.json<{ registered_model: { aliases?: unknown } }>([
      'models',
      'show',
      'fraud',
    ])
    expect(shown.registered_model.aliases).toBeUndefined()
  })

  it('reports a missing model with exit code 3', async () => {
    expect(await sandbox.run(['models', 'show', 'nope'])).toEqual({
      code: 3,
      stdout: '',
      stderr: 'error: Registered Model with name=nope not found\n',
    })
  })
})
