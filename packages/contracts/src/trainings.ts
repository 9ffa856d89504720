import { z } from 'zod'
import { JobRecord } from './jobs.js'

/**
 * The trainings API (`POST /api/v1/trainings`): a training request stored as a `train` job. The
 * worker reads the dataset version, trains, evaluates, logs everything to a tracking run and,
 * when asked, registers the model.
 */

export const TRAINING_TASKS = ['classification', 'regression'] as const
export const TRAINING_ALGORITHMS = ['gbdt', 'logistic', 'linear'] as const

const ParamValue = z.union([z.string(), z.number(), z.boolean()]).transform(String)

export const TrainingSplit = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('random') }),
  z.object({
    kind: z.literal('time'),
    /** The datetime (or numeric) column rows are ordered by. */
    column: z.string().min(1),
    /** Rows at or after this ISO date form the test set. */
    test_after: z.string().min(1),
  }),
])
export type TrainingSplit = z.output<typeof TrainingSplit>

export const TrainingSearch = z.object({
  kind: z.enum(['grid', 'random']),
  trials: z.number().int().min(1).max(1000).optional(),
  /** Parameter → values: `50,100,200`, `0.01..0.3`, `log:0.001..1`. */
  space: z.record(z.string(), z.string()),
})
export type TrainingSearch = z.output<typeof TrainingSearch>

export const TrainingRequest = z.object({
  /** `NAME`, `NAME@VERSION` or `NAME@latest`. */
  dataset: z.string().min(1),
  target: z.string().min(1),
  task: z.enum(TRAINING_TASKS),
  algo: z.enum(TRAINING_ALGORITHMS),
  params: z.record(z.string(), ParamValue).default({}),
  /** Input columns; all but the target when absent. */
  features: z.array(z.string().min(1)).min(1).optional(),
  split: TrainingSplit.optional(),
  search: TrainingSearch.optional(),
  /** Experiment name; created when missing. The default experiment when absent. */
  experiment: z.string().min(1).optional(),
  run_name: z.string().min(1).max(250).optional(),
  /** Register the model under this name (created when missing). */
  register: z.string().min(1).optional(),
  /** Move this alias of the registered model to the new version. */
  alias: z.string().min(1).optional(),
})
export type TrainingRequest = z.output<typeof TrainingRequest>
export type TrainingRequestInput = z.input<typeof TrainingRequest>

/** What a finished `train` job holds as its result. */
export const TrainingResult = z.object({
  run_id: z.string(),
  experiment_id: z.string(),
  dataset: z.object({ name: z.string(), version: z.number().int(), digest: z.string() }),
  metrics: z.record(z.string(), z.number()),
  train_rows: z.number().int(),
  test_rows: z.number().int(),
  model: z
    .object({ name: z.string(), version: z.string(), alias: z.string().optional() })
    .optional(),
})
export type TrainingResult = z.output<typeof TrainingResult>

export const CreateTrainingResponse = z.object({ job: JobRecord })
export type CreateTrainingResponse = z.output<typeof CreateTrainingResponse>
