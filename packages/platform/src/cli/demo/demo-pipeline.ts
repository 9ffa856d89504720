/** What the demo deploys, monitors and retrains; names a user can look up afterwards. */
export const DEMO = {
  dataset: 'flights',
  recentDataset: 'flights-recent',
  model: 'flights-delay',
  alias: 'champion',
  deployment: 'flights',
  monitor: 'flights',
  pipeline: 'flights-retrain',
  actor: 'demo',
} as const

/** The model: gradient-boosted trees on what is known before take-off. */
export const DEMO_TRAINING = {
  target: 'late',
  task: 'classification',
  algo: 'gbdt',
  params: { numTrees: '60', maxDepth: '6', learningRate: '0.1' },
} as const

/**
 * The retraining loop, declared as any user would declare it: when the monitor on the deployment
 * reports drift or degraded performance, train a challenger on recent labelled traffic, compare it
 * with the champion on the newest labelled window (which the challenger never saw), and roll it
 * out behind a canary only if the policy says it is better.
 */
export function retrainPipelineYaml(options: {
  window: number
  holdout: number
  canaryPredictions: number
}) {
  const { dataset, recentDataset, model, alias, deployment, monitor, pipeline } = DEMO
  const { target, task, algo, params } = DEMO_TRAINING
  return `name: ${pipeline}
description: retrain ${model} on recent labelled traffic when its monitor reports drift
triggers:
  - event: [drift_detected, performance_degraded]
    monitor: ${monitor}
limits:
  debounce: 30s
  max_runs_per_day: 10
steps:
  - name: data
    kind: ingest
    with:
      predictions: { deployment: ${deployment}, last: ${options.window}, skip_last: ${options.holdout} }
      label: ${target}
      dataset: ${recentDataset}
  - name: train
    kind: train
    with:
      dataset: \${{ steps.data.outputs.dataset }}
      target: ${target}
      task: ${task}
      algo: ${algo}
      params: { numTrees: ${params.numTrees}, maxDepth: ${params.maxDepth}, learningRate: ${params.learningRate} }
      register: ${model}
  - name: evaluate
    kind: evaluate
    with:
      challenger: \${{ steps.train.outputs.model }}
      champion: ${model}@${alias}
      data: { deployment: ${deployment}, last: ${options.holdout} }
      policy:
        rules:
          - metric: roc_auc
            min_improvement: 0.005
          - metrics: [accuracy, log_loss]
            max_regression: 0.02
  - name: rollout
    kind: deploy
    if: \${{ steps.evaluate.outputs.passed }}
    with:
      deployment: ${deployment}
      model: \${{ steps.train.outputs.model }}
      alias: ${alias}
      canary:
        percent: 25
        watch: { predictions: ${options.canaryPredictions}, timeout: 2m }
        max_error_rate: 0.01
        max_latency_p99_ratio: 3
        min_accuracy_delta: -0.02
        min_labelled: 200
# The source data set ${dataset} holds January; everything after comes from production.
`
}
