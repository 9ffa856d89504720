import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importVersions } from '../serving/deployments/test-support/deployment-fixtures.js'
import { cliSandbox } from './test-support/run-cli.js'

const TIME = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`
const HEX12 = '[0-9a-f]{12}'

describe('ballast audit', () => {
  const sandbox = cliSandbox()
  beforeAll(async () => {
    await sandbox.seed(async (_ballast, runtime) => {
      await importVersions(runtime.services, 'fraud', 1)
    })
    const created = await sandbox.run(['deploy', 'create', 'fraud-live', '--model', 'fraud/1'])
    expect(created.code).toBe(0)
  })
  afterAll(() => sandbox.dispose())

  it('log prints a table newest first, with short digests of before and after', async () => {
    const { code, stdout } = await sandbox.run(['audit', 'log'])
    expect(code).toBe(0)
    const lines = stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^SEQ +TIME +ACTOR +ACTION +TARGET +BEFORE -> AFTER$/)
    expect(lines[1]).toMatch(
      new RegExp(
        `^3 +${TIME} +anonymous +deployment\\.create +deployment:fraud-live +- -> ${HEX12}$`,
      ),
    )
    expect(lines[2]).toMatch(new RegExp(`^2 +${TIME} +trainer +model\\.import +model:fraud/1 `))
    expect(lines[3]).toMatch(new RegExp(`^1 +${TIME} +trainer +model\\.create +model:fraud `))
    expect(lines).toHaveLength(4)
  })

  it('log filters by target, actor and action, and --json gives whole entries', async () => {
    const byTarget = await sandbox.json<{ entries: { seq: number }[] }>([
      'audit',
      'log',
      '--target',
      'model:fraud',
    ])
    expect(byTarget.entries.map((e) => e.seq)).toEqual([1])
    const byActor = await sandbox.json<{ entries: { seq: number; hash: string }[] }>([
      'audit',
      'log',
      '--actor',
      'trainer',
      '--action',
      'model.import',
      '--limit',
      '5',
    ])
    expect(byActor.entries).toEqual([
      expect.objectContaining({ seq: 2, target: 'model:fraud/1', hash: expect.any(String) }),
    ])
    const none = await sandbox.run(['audit', 'log', '--actor', 'nobody'])
    expect(none.stdout).toBe('no audit entries\n')
  })

  it('verify proves the chain, then names the first bad entry and exits 65', async () => {
    const ok = await sandbox.run(['audit', 'verify'])
    const [head] = (await sandbox.json<{ entries: { hash: string }[] }>(['audit', 'log'])).entries
    expect(ok).toEqual({
      code: 0,
      stdout: `audit log verified: 3 entries, head ${head!.hash}\n`,
      stderr: '',
    })

    await sandbox.seed(async (_ballast, runtime) => {
      await runtime.services.store.db.deleteFrom('audit_log').where('seq', '=', 2).execute()
    })
    const broken = await sandbox.run(['audit', 'verify'])
    expect(broken).toEqual({
      code: 65,
      stdout: '',
      stderr:
        'error: audit log broken at entry 2 (deleted): entry 2 is missing: the log jumps from ' +
        '1 to 3; the 1 entry before it verified\n',
    })
    const json = await sandbox.run(['audit', 'verify', '--json'])
    expect(json.code).toBe(65)
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      entries: 1,
      problem: { seq: 2, kind: 'deleted' },
    })
  })
})
