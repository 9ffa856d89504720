import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parsePolicy } from '../orchestration/index.js'
import { cliSandbox } from './test-support/run-cli.js'

const TIME = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`

describe('ballast decisions', () => {
  const sandbox = cliSandbox()
  beforeAll(async () => {
    await sandbox.seed(async (_ballast, runtime) => {
      const decisions = runtime.services.orchestration.decisions
      const policy = parsePolicy(
        { rules: [{ metric: 'roc_auc', min_improvement: 0.005 }, { approval: 'required' }] },
        'test',
      )
      await decisions.decide(
        {
          model: 'loans',
          challengerVersion: 2,
          championVersion: 1,
          policy,
          facts: { challenger: { roc_auc: 0.7312 }, champion: { roc_auc: 0.7241 } },
          pipelineRun: 'run-7',
        },
        'system:pipeline:retrain',
      )
      await decisions.decide(
        {
          model: 'fraud',
          challengerVersion: 1,
          championVersion: null,
          policy,
          facts: { challenger: { roc_auc: 0.9 }, champion: null },
        },
        'alice',
      )
    })
  })
  afterAll(() => sandbox.dispose())

  it('lists decisions, newest first, and by model', async () => {
    const list = await sandbox.run(['decisions', 'list'])
    const lines = list.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^ID +MODEL +CHALLENGER +CHAMPION +STATUS +DECIDED +BY$/)
    expect(lines[1]).toMatch(new RegExp(`^2 +fraud +1 +none +pending_approval +${TIME} +alice$`))
    expect(lines[2]).toMatch(
      new RegExp(`^1 +loans +2 +1 +pending_approval +${TIME} +system:pipeline:retrain$`),
    )
    const loans = await sandbox.json<{ decisions: { id: number }[] }>([
      'decisions',
      'list',
      '--model',
      'loans',
    ])
    expect(loans.decisions.map((d) => d.id)).toEqual([1])
  })

  it('shows each rule with its reason, and approves', async () => {
    const shown = await sandbox.run(['decisions', 'show', '1'])
    expect(shown.stdout).toContain('challenger:    loans/2\nchampion:      loans/1\n')
    expect(shown.stdout).toContain('status:        pending_approval\npipeline run:  run-7\n')
    expect(shown.stdout).toContain(
      'roc_auc >= champion + 0.005  passed   challenger roc_auc 0.7312 ≥ champion 0.7241 + 0.005 = 0.7291\n' +
        'approval required            pending  awaiting approval\n',
    )
    const approved = await sandbox.run(['decisions', 'approve', '1'])
    expect(approved).toMatchObject({
      code: 0,
      stdout: 'approved decision 1: loans/2 is now passed\n',
    })
    const again = await sandbox.run(['decisions', 'approve', '1'])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('Promotion decision 1 is passed, not pending_approval')
    const missing = await sandbox.run(['decisions', 'show', '9'])
    expect(missing.code).toBe(3)
    expect(missing.stderr).toContain('Promotion decision 9 not found')
  })
})
