import { CreateTrainingResponse, InvalidParameterError, TrainingRequest } from '@ballast/contracts'
import { parseDatasetRef } from '../../data/index.js'
import { TRAIN_JOB } from '../../runtime/train-job.js'
import { parseParams, searchTrials } from '../../training/index.js'
import { defineRoute, type AnyRoute } from '../route.js'

/** Trainings: a request is checked against its dataset at once, then queued as a `train` job. */
export const TRAININGS_ROUTES: readonly AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/api/v1/trainings',
    permission: 'editor',
    body: TrainingRequest,
    response: CreateTrainingResponse,
    handler: async ({ body, services, actor, c }) => {
      const fits = { gbdt: body.task, logistic: 'classification', linear: 'regression' }[body.algo]
      if (fits !== body.task) {
        throw new InvalidParameterError(
          `Invalid value for parameter 'algo': ${body.algo} is for ${fits}, not ${body.task}`,
        )
      }
      const parsed = parseParams(body.algo, body.params)
      if (body.search !== undefined) searchTrials(body.algo, body.search, parsed.common.seed)
      const ref = parseDatasetRef(body.dataset)
      // Mistakes a user can fix are answered now rather than by a failed job later.
      const version = await services.data.getVersion(ref.name, ref.version)
      const columns = new Set(version.schema.columns.map((col) => col.name))
      const named = [
        ['target', body.target],
        ...(body.features ?? []).map((f, i) => [`features[${i}]`, f]),
        ...(body.split?.kind === 'time' ? [['split.column', body.split.column]] : []),
      ] as const
      for (const [field, column] of named) {
        if (!columns.has(column)) {
          throw new InvalidParameterError(
            `Invalid value for parameter '${field}': dataset ${version.name}@${version.version} has no column '${column}'`,
          )
        }
      }
      const job = await services.jobs.enqueue({
        kind: TRAIN_JOB,
        payload: { ...body, dataset: `${version.name}@${version.version}` },
        createdBy: actor.name,
      })
      return c.json({ job }, 202)
    },
  }),
]
