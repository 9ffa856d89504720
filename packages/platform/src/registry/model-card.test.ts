import { describe, expect, it } from 'vitest'
import {
  INTENDED_USE_PLACEHOLDER,
  buildModelCard,
  evaluationMethod,
  renderModelCardMarkdown,
} from './model-card.js'
import { EMPTY_DETAILS } from './model-details.js'
import type { ModelCardInput } from './model-card.js'

const INPUT: ModelCardInput = {
  name: 'churn',
  version: 4,
  aliases: ['champion'],
  createdAt: Date.UTC(2026, 10, 26),
  createdBy: 'ci',
  runId: 'r1',
  modelDescription: '',
  modelTags: { caveats: 'Trained on EU customers only.' },
  details: {
    ...EMPTY_DETAILS,
    task: 'classification',
    algo: 'gbdt',
    classes: ['no', 'yes'],
    signature: {
      inputs: [
        { name: 'tenure', type: 'double', required: true },
        { name: 'plan|tier', type: 'string', required: true },
      ],
      outputs: [],
    },
  },
  lineage: {
    run_id: 'r1',
    experiment_id: '1',
    run_name: 'gbdt',
    artifact_path: 'model',
    datasets: [
      {
        name: 'customers',
        version: 3,
        digest: 'd3',
        source: 'ballast:customers@3',
        context: 'training',
      },
      { name: 'other', version: null, digest: 'x', source: 's3://b/x', context: 'evaluation' },
    ],
    params: { split: 'random' },
    metrics: { test_auc: 0.91, cv_auc: 0.9, train_auc: 0.99, test_positive_rate: 0.12 },
    git_commit: null,
    registered_at: 0,
  },
  datasetRows: new Map([['customers@3', 1200]]),
}

describe('buildModelCard', () => {
  it('fills the sections from the version, its lineage and the model tags', () => {
    const card = buildModelCard(INPUT)
    expect(card.intended_use).toEqual({ text: INTENDED_USE_PLACEHOLDER, provided: false })
    expect(card.metrics).toEqual({ cv_auc: 0.9, test_auc: 0.91, test_positive_rate: 0.12 })
    expect(card.training_data).toEqual([
      { name: 'customers', version: 3, digest: 'd3', rows: 1200 },
    ])
    expect(card.evaluation_data).toEqual([
      { name: 'other', version: null, digest: 'x', rows: null },
    ])
    expect(card.caveats).toEqual([
      'Trained on EU customers only.',
      'Not evaluated on a time split (split: random): metrics may overstate performance on data ' +
        'from later periods.',
      'Class balance: test_positive_rate = 0.12.',
    ])
  })

  it('takes the intended use from the tag before the description', () => {
    const card = buildModelCard({
      ...INPUT,
      modelDescription: 'Churn model',
      modelTags: { intended_use: 'Retention offers' },
    })
    expect(card.intended_use).toEqual({ text: 'Retention offers', provided: true })
    expect(buildModelCard({ ...INPUT, modelDescription: 'Churn model' }).intended_use.text).toBe(
      'Churn model',
    )
  })

  it('states what is missing for a version without a package or evaluation data', () => {
    const card = buildModelCard({
      ...INPUT,
      details: EMPTY_DETAILS,
      modelTags: {},
      lineage: { ...INPUT.lineage, datasets: [], params: {}, metrics: {} },
    })
    expect(card.caveats).toEqual([
      'Not evaluated on a time split: metrics may overstate performance on data from later periods.',
      'No evaluation data is recorded in the lineage of this version.',
      'The input signature is unknown: the version has no model package.',
    ])
  })
})

describe('renderModelCardMarkdown', () => {
  it('renders every section, escaping pipes in cells', () => {
    const md = renderModelCardMarkdown(buildModelCard(INPUT))
    expect(md).toContain('# Model card: churn version 4\n\n## Model details\n')
    expect(md).toContain('- Created: 2026-11-26T00:00:00.000Z by ci\n')
    expect(md).toContain('| plan\\|tier | string |\n')
    expect(md).toContain('| customers | 3 | d3 | 1200 |\n')
    for (const section of [
      'Intended use',
      'Factors',
      'Metrics',
      'Training data',
      'Evaluation data',
      'Ethical considerations',
      'Caveats and recommendations',
    ]) {
      expect(md).toContain(`\n## ${section}\n`)
    }
  })
})

describe('evaluationMethod', () => {
  it('describes held-out rows from the parameters the trainers log', () => {
    expect(
      evaluationMethod({ split: 'time', splitColumn: 'date', testAfter: '2015-01-01', folds: '0' }),
    ).toBe('held out from the training data: rows with date at or after 2015-01-01 (time split)')
    expect(evaluationMethod({ split: 'random', testFraction: '0.2', seed: '7', folds: '5' })).toBe(
      'held out from the training data: a random 20% of the rows (seed 7); 5-fold cross-validation on the training rows',
    )
    expect(evaluationMethod({ lr: '0.1' })).toBeNull()
  })

  it('fills the evaluation section of a trained model that names no evaluation dataset', () => {
    const card = buildModelCard({
      ...INPUT,
      lineage: {
        ...INPUT.lineage,
        params: { split: 'time', splitColumn: 'date', testAfter: '2015-01-01' },
      },
    })
    expect(card.caveats).not.toContain(
      'No evaluation data is recorded in the lineage of this version.',
    )
    expect(renderModelCardMarkdown(card)).toContain(
      '## Evaluation data\n\nTest rows held out from the training data: rows with date at or after 2015-01-01 (time split).\n',
    )
  })
})
