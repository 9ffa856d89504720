import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importVersions } from '../serving/deployments/test-support/deployment-fixtures.js'
import { cliSandbox } from './test-support/run-cli.js'

const TIME = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`

describe('ballast deploy', () => {
  const sandbox = cliSandbox()
  beforeAll(async () => {
    await sandbox.seed(async (_ballast, runtime) => {
      await importVersions(runtime.services, 'fraud', 3)
      await runtime.services.registry.aliases.set({
        name: 'fraud',
        alias: 'champion',
        version: '2',
      })
    })
  })
  afterAll(() => sandbox.dispose())

  it('creates deployments that follow an alias or pin a version, and lists them', async () => {
    const live = await sandbox.run(['deploy', 'create', 'fraud-live', '--model', 'fraud@champion'])
    expect(live).toMatchObject({
      code: 0,
      stdout: "created deployment 'fraud-live': fraud@champion, serving version 2\n",
    })
    const pinned = await sandbox.json<{ deployment: Record<string, unknown> }>([
      'deploy',
      'create',
      'fraud-pinned',
      '--model',
      'fraud/1',
    ])
    expect(pinned.deployment).toMatchObject({
      name: 'fraud-pinned',
      target: { kind: 'version', version: 1 },
      version: 1,
      created_by: 'anonymous',
    })
    const list = await sandbox.run(['deploy', 'list'])
    const lines = list.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^NAME +TARGET +VERSION +CANARY +SHADOW +PREVIOUS +UPDATED$/)
    expect(lines[1]).toMatch(new RegExp(`^fraud-live +fraud@champion +2 +- +- +- +${TIME}$`))
    expect(lines[2]).toMatch(new RegExp(`^fraud-pinned +fraud/1 +1 +- +- +- +${TIME}$`))
  })

  it('runs a canary, promotes it, rolls back, and shows the history', async () => {
    const canary = await sandbox.run([
      'deploy',
      'canary',
      'fraud-live',
      '--model',
      'fraud/3',
      '--percent',
      '10',
    ])
    expect(canary.stdout).toBe("'fraud-live' serves fraud/2, canary v3 at 10%\n")
    const shadow = await sandbox.run(['deploy', 'shadow', 'fraud-live', '--model', '1'])
    expect(shadow.stdout).toBe("'fraud-live' serves fraud/2, canary v3 at 10%, shadow v1\n")
    const off = await sandbox.run(['deploy', 'shadow', 'fraud-live', '--off'])
    expect(off.stdout).toBe("'fraud-live' serves fraud/2, canary v3 at 10%\n")
    const promoted = await sandbox.run(['deploy', 'promote', 'fraud-live'])
    expect(promoted.stdout).toBe("promoted: 'fraud-live' serves fraud/3 (previous v2)\n")
    const back = await sandbox.run(['deploy', 'rollback', 'fraud-live'])
    expect(back.stdout).toBe("rolled back: 'fraud-live' serves fraud/2 (previous v3)\n")

    const history = await sandbox.run(['deploy', 'history', 'fraud-live', '--limit', '3'])
    const rows = history.stdout.trimEnd().split('\n')
    expect(rows[0]).toMatch(/^TIME +ACTOR +ACTION +VERSION +REVISION +DETAIL$/)
    expect(rows.slice(1).map((r) => r.split(/ {2,}/).slice(1, 4))).toEqual([
      ['anonymous', 'rollback', 'v3 -> v2'],
      ['anonymous', 'promote', 'v2 -> v3'],
      ['anonymous', 'shadow-off', 'v2 -> v2'],
    ])

    const shown = await sandbox.run(['deploy', 'show', 'fraud-live'])
    expect(shown.stdout).toContain('target:    fraud@champion\nversion:   2\n')
    expect(shown.stdout).toContain('previous:  3\n')
    expect(shown.stdout).toMatch(/\nTIME +ACTOR +ACTION/)
  })

  it('deletes a deployment', async () => {
    expect((await sandbox.run(['deploy', 'delete', 'fraud-pinned'])).stdout).toBe(
      "deleted deployment 'fraud-pinned'\n",
    )
    const list = await sandbox.json<{ deployments: { name: string }[]; revision: number }>([
      'deploy',
      'list',
    ])
    expect(list.deployments.map((d) => d.name)).toEqual(['fraud-live'])
  })

  it('exits 2 for bad input, 3 for an unknown deployment, 1 for nothing to roll back', async () => {
    const noPercent = await sandbox.run(['deploy', 'canary', 'fraud-live', '--model', 'fraud/3'])
    expect(noPercent).toMatchObject({
      code: 2,
      stderr: "error: 'deploy canary' needs --percent P\n",
    })
    const both = await sandbox.run(['deploy', 'shadow', 'fraud-live', '--model', '3', '--off'])
    expect(both.code).toBe(2)
    const badPercent = await sandbox.run([
      'deploy',
      'canary',
      'fraud-live',
      '--model',
      'fraud/3',
      '--percent',
      '150',
    ])
    expect(badPercent.code).toBe(2)
    expect(badPercent.stderr).toMatch(/^error: Invalid value for parameter 'percent': 150/)
    const missing = await sandbox.run(['deploy', 'show', 'nope'])
    expect(missing).toMatchObject({ code: 3, stderr: "error: Deployment 'nope' not found\n" })
    await sandbox.run(['deploy', 'create', 'fresh', '--model', 'fraud/1'])
    const nothing = await sandbox.run(['deploy', 'rollback', 'fresh'])
    expect(nothing).toMatchObject({
      code: 1,
      stderr: "error: Deployment 'fresh' has no previous version to roll back to\n",
    })
  })
})
