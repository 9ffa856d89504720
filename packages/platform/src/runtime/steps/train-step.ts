import {
  InvalidParameterError,
  TRAINING_ALGORITHMS,
  TRAINING_TASKS,
  TrainingRequest,
} from '@ballast/contracts'
import { parseDatasetRef } from '../../data/index.js'
import type { StepOutputs } from '../../orchestration/index.js'
import { trainModel } from '../train-job.js'
import { checkKeys, datasetDigest, isReference, stringInput } from './step-inputs.js'
import type { StepKind } from './step-types.js'

/**
 * `train`: the same training as a `train` job (no job is enqueued: the step's own job runs it),
 * in experiment `pipeline:<name>` unless `experiment` is given. `with` takes the fields of a
 * training request. Outputs {run_id, model: "NAME/VERSION" when registered, dataset, and each
 * metric by name, e.g. test_roc_auc}.
 */

const KEYS = Object.keys(TrainingRequest.shape)

export const trainStep: StepKind = {
  kind: 'train',
  validate(inputs, field) {
    checkKeys(inputs, KEYS, field)
    const dataset = stringInput(inputs, 'dataset', field, true)
    if (!isReference(dataset)) parseDatasetRef(dataset)
    stringInput(inputs, 'target', field, true)
    const task = stringInput(inputs, 'task', field, true)
    if (!isReference(task) && !(TRAINING_TASKS as readonly string[]).includes(task)) {
      throw new InvalidParameterError(
        `${field}.task: '${task}' is not one of ${TRAINING_TASKS.join(', ')}`,
      )
    }
    const algo = stringInput(inputs, 'algo', field) ?? 'gbdt'
    if (!isReference(algo) && !(TRAINING_ALGORITHMS as readonly string[]).includes(algo)) {
      throw new InvalidParameterError(
        `${field}.algo: '${algo}' is not one of ${TRAINING_ALGORITHMS.join(', ')}`,
      )
    }
  },
  async run(ctx, inputs): Promise<StepOutputs> {
    const parsed = TrainingRequest.safeParse({
      algo: 'gbdt',
      experiment: `pipeline:${ctx.pipeline}`,
      run_name: `${ctx.pipeline}-${ctx.step}`,
      ...inputs,
    })
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      throw new InvalidParameterError(`with.${issue.path.join('.')}: ${issue.message}`)
    }
    const result = await trainModel(ctx.services, parsed.data, {
      actor: ctx.actor,
      signal: ctx.signal,
      progress: (done, total, message) => ctx.progress(done, total, message),
      log: (message) => ctx.log(message),
      tags: [
        { key: 'mlflow.source.type', value: 'JOB' },
        { key: 'mlflow.source.name', value: `ballast pipeline ${ctx.pipeline} (step ${ctx.step})` },
        { key: 'ballast.pipeline', value: ctx.pipeline },
        { key: 'ballast.pipeline_run', value: ctx.runId },
        { key: 'ballast.step', value: ctx.step },
        { key: 'ballast.step_run', value: ctx.trackingRunId },
      ],
    })
    return {
      ...result.metrics,
      run_id: result.run_id,
      dataset: `${result.dataset.name}@${result.dataset.version}`,
      model: result.model === undefined ? null : `${result.model.name}/${result.model.version}`,
    }
  },
  async inputDigests(services, inputs) {
    return { dataset: await datasetDigest(services, String(inputs.dataset)) }
  },
}
