import { execFileSync } from 'node:child_process'
import type { JobRecord } from '@ballast/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type MonitoredDeployment,
  applicants,
  openMonitoredDeployment,
  seeded,
} from '../../monitoring/monitors/test-support/monitored-deployment.js'
import { runTrainJob } from '../train-job.js'
import { EVALUATE_STEP } from './evaluate-step.js'
import { predictionsSource } from './predictions-source.js'
import type { StepContext } from './step-types.js'

const T0 = Date.UTC(2026, 10, 1)
const ACTOR = 'system:pipeline:retrain'
const TRAIN_ROWS = 1500
const EVAL_ROWS = 500

let d: MonitoredDeployment
let evalIds: string[]
let evalLabels: number[]

async function stepContext(step: string): Promise<StepContext> {
  const run = await d.t.services.tracking.runs.create({ experimentId: '0', runName: step }, ACTOR)
  return {
    services: d.t.services,
    pipeline: 'retrain',
    runId: 'pipeline-run-1',
    step,
    actor: ACTOR,
    trackingRunId: run.info.run_id,
    signal: new AbortController().signal,
    progress: () => undefined,
    log: () => undefined,
  }
}

/** The population turned over: higher income now means more defaults. */
beforeAll(async () => {
  d = await openMonitoredDeployment()
  const random = seeded(11)
  const { rows, labels } = applicants(TRAIN_ROWS + EVAL_ROWS, random, { flip: true })
  const ids: string[] = []
  for (let i = 0; i < rows.length; i += 100) {
    ids.push(...(await d.serve(rows.slice(i, i + 100), T0 + i * 1000)))
  }
  await d.label(ids, labels)
  evalIds = ids.slice(TRAIN_ROWS)
  evalLabels = labels.slice(TRAIN_ROWS)

  // The challenger trains on the labelled window before the one reserved for evaluation.
  const source = await predictionsSource(
    { services: d.t.services, actor: ACTOR, log: () => undefined },
    {
      predictions: { deployment: 'loans', last: TRAIN_ROWS, skip_last: EVAL_ROWS },
      dataset: 'loans-live',
    },
  )
  expect(source).toMatchObject({ dataset: 'loans-live@1', rows: TRAIN_ROWS })
  await runTrainJob({
    job: { id: 'job-2', kind: 'train', createdBy: ACTOR } as JobRecord,
    payload: {
      dataset: source.dataset,
      target: 'default',
      task: 'classification',
      algo: 'gbdt',
      params: { numTrees: '40' },
      register: 'loans',
    },
    services: d.t.services,
    signal: new AbortController().signal,
    progress: () => undefined,
    log: () => undefined,
  })
}, 120_000)
afterAll(() => d.dispose())

/** ROC AUC and accuracy of the champion's logged answers, computed by scipy as a reference. */
async function championReference(): Promise<{ roc_auc: number; accuracy: number }> {
  const files = await d.t.services.serving.predictions.query({ deployment: 'loans' })
  const { DuckEngine } = await import('../../data/index.js')
  const engine = await DuckEngine.open()
  try {
    const rows = await engine.all(`SELECT request_id, outputs FROM ${files.relation}`)
    const byId = new Map(rows.map((r) => [String(r.request_id), JSON.parse(String(r.outputs))]))
    const p1 = evalIds.map((id) => byId.get(id).probabilities['1'] as number)
    const script = `
import json, sys
from scipy.stats import mannwhitneyu
d = json.load(sys.stdin)
y, p = d['y'], d['p']
pos = [s for s, t in zip(p, y) if t == 1]; neg = [s for s, t in zip(p, y) if t == 0]
u = mannwhitneyu(pos, neg).statistic
acc = sum((s > 0.5) == (t == 1) for s, t in zip(p, y)) / len(y)
print(json.dumps({'roc_auc': u / (len(pos) * len(neg)), 'accuracy': acc}))`
    const out = execFileSync('python3', ['-c', script], {
      input: JSON.stringify({ y: evalLabels, p: p1 }),
    })
    return JSON.parse(out.toString()) as { roc_auc: number; accuracy: number }
  } finally {
    engine.close()
    await files.dispose()
  }
}

const f4 = (x: unknown) => (x as number).toFixed(4)

describe('evaluate step', () => {
  it('scores challenger and champion on the latest labelled window: the challenger wins', async () => {
    const ctx = await stepContext('gate')
    const out = await EVALUATE_STEP.run(ctx, {
      challenger: 'loans/2',
      champion: 'loans@prod',
      data: { deployment: 'loans', last: EVAL_ROWS },
      policy: {
        rules: [
          { metric: 'roc_auc', min_improvement: 0.005 },
          { metrics: ['accuracy', 'log_loss', 'rmse'], max_regression: 0.01 },
          { metric: 'accuracy', min: 0.6 },
          { validation: 'passed' },
        ],
      },
      facts: { validation: 'true' },
    })
    // The champion's metrics are those of its own logged answers on the same rows.
    const reference = await championReference()
    expect(out.champion_roc_auc).toBeCloseTo(reference.roc_auc, 6)
    expect(out.champion_accuracy).toBeCloseTo(reference.accuracy, 12)
    expect(out).toMatchObject({
      passed: true,
      status: 'passed',
      challenger: 'loans/2',
      champion: 'loans/1',
      rows: EVAL_ROWS,
    })
    expect(out.challenger_roc_auc as number).toBeGreaterThan((out.champion_roc_auc as number) + 0.2)
    const roc = (out.champion_roc_auc as number) + 0.005
    expect(out.reasons).toBe(
      [
        `roc_auc >= champion + 0.005: passed (challenger roc_auc ${f4(out.challenger_roc_auc)} ≥ champion ${f4(out.champion_roc_auc)} + 0.005 = ${roc.toFixed(4)})`,
        `accuracy, log_loss, rmse not worse than champion by more than 0.01: passed (none worse by more than 0.01: ` +
          `accuracy ${f4(out.challenger_accuracy)} vs ${f4(out.champion_accuracy)} (better by ${((out.challenger_accuracy as number) - (out.champion_accuracy as number)).toFixed(4)}), ` +
          `log_loss ${f4(out.challenger_log_loss)} vs ${f4(out.champion_log_loss)} (better by ${((out.champion_log_loss as number) - (out.challenger_log_loss as number)).toFixed(4)}) (rmse not measured))`,
        `accuracy >= 0.6: passed (challenger accuracy ${f4(out.challenger_accuracy)} ≥ 0.6)`,
        'validation passed: passed (the validation suite passed)',
      ].join('; '),
    )

    const decision = await d.t.services.orchestration.decisions.get(out.decision_id as number)
    expect(decision).toMatchObject({
      model: 'loans',
      challengerVersion: 2,
      championVersion: 1,
      status: 'passed',
      pipelineRun: 'pipeline-run-1',
      decidedBy: ACTOR,
      facts: { validation: { passed: true }, champion: { accuracy: out.champion_accuracy } },
    })
    const run = await d.t.services.tracking.runs.get(ctx.trackingRunId)
    const logged = Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m.value]))
    expect(logged).toMatchObject({
      challenger_roc_auc: out.challenger_roc_auc,
      champion_roc_auc: out.champion_roc_auc,
      champion_log_loss: out.champion_log_loss,
    })
  })

  it('an impossible improvement fails the policy, not the step, and names the rule', async () => {
    const out = await EVALUATE_STEP.run(await stepContext('gate-strict'), {
      challenger: 'loans/2',
      champion: { deployment: 'loans' },
      data: { deployment: 'loans', last: EVAL_ROWS },
      policy: { rules: [{ metric: 'roc_auc', min_improvement: 0.9 }, { approval: 'required' }] },
    })
    const bound = (out.champion_roc_auc as number) + 0.9
    expect(out).toMatchObject({ passed: false, status: 'failed' })
    expect(out.reasons).toBe(
      `roc_auc >= champion + 0.9: failed (challenger roc_auc ${f4(out.challenger_roc_auc)} < champion ${f4(out.champion_roc_auc)} + 0.9 = ${bound.toFixed(4)}); ` +
        'approval required: pending (awaiting approval)',
    )
    // The challenger stays registered.
    const shown = await d.t.services.registry.details.show('loans', '2')
    expect(shown.version.version).toBe(2)
  })

  it('with no champion yet, comparisons pass and the decision waits for approval', async () => {
    const out = await EVALUATE_STEP.run(await stepContext('gate-first'), {
      challenger: 'loans/2',
      champion: 'loans@champion',
      data: { dataset: 'loans-live@1', target: 'default' },
      policy: { rules: [{ metric: 'roc_auc', min_improvement: 0.005 }, { approval: 'required' }] },
    })
    expect(out).toMatchObject({ passed: false, status: 'pending_approval', champion: null })
    expect(out.rows).toBe(TRAIN_ROWS)
    expect(out.reasons).toBe(
      'roc_auc >= champion + 0.005: passed (no champion); approval required: pending (awaiting approval)',
    )
    const approved = await d.t.services.orchestration.decisions.approve(
      out.decision_id as number,
      'alice',
    )
    expect(approved.status).toBe('passed')
  })

  it('checks literal inputs when the pipeline is applied, and leaves references alone', () => {
    const valid = {
      challenger: '${{ steps.train.outputs.model }}',
      champion: 'loans@prod',
      data: { deployment: 'loans', last: 500 },
      policy: '/etc/policy.yaml',
      facts: { validation: '${{ steps.check.outputs.passed }}' },
    }
    expect(() => EVALUATE_STEP.validate(valid, 'steps[3].with')).not.toThrow()
    expect(() =>
      EVALUATE_STEP.validate({ ...valid, challenger: 'loans@prod' }, 'steps[3].with'),
    ).toThrow(
      `Invalid value for parameter 'steps[3].with.challenger': "loans@prod"; expected MODEL/VERSION`,
    )
    expect(() =>
      EVALUATE_STEP.validate({ ...valid, data: { deployment: 'loans', last: 'all' } }, 'w'),
    ).toThrow(
      `Invalid value for parameter 'w.data.last': expected a number of predictions, got "all"`,
    )
    expect(() =>
      EVALUATE_STEP.validate({ ...valid, policy: { rules: [{ metric: 'auc' }] } }, 'w'),
    ).toThrow("Invalid promotion policy in w.policy: 'rules[0]' names metric auc")
    expect(() => EVALUATE_STEP.validate({ ...valid, policy: undefined }, 'w')).toThrow(
      "Missing value for parameter 'w.policy': the evaluate step needs it",
    )
  })
})
