import { InvalidParameterError } from '@ballast/contracts'
import type { MetadataStore } from '../storage/index.js'
import { requireActiveRun } from './guards.js'
import { newHexId } from './ids.js'
import { LIMITS, checkLength } from './validation.js'

export interface DatasetInput {
  tags: readonly { key: string; value: string }[]
  dataset: {
    name: string
    digest: string
    source_type: string
    source: string
    schema?: string | undefined
    profile?: string | undefined
  }
}

function validateDatasetInputs(inputs: readonly DatasetInput[]): void {
  if (inputs.length > LIMITS.datasetsPerBatch) {
    throw new InvalidParameterError(
      `A log-inputs request can contain at most ${LIMITS.datasetsPerBatch} datasets. Got ${inputs.length} datasets.`,
    )
  }
  inputs.forEach(({ dataset, tags }, i) => {
    const at = `datasets[${i}]`
    checkLength(dataset.name, LIMITS.datasetNameLength, `${at}.dataset.name`)
    checkLength(dataset.digest, LIMITS.datasetDigestLength, `${at}.dataset.digest`)
    checkLength(dataset.source, LIMITS.datasetSourceLength, `${at}.dataset.source`)
    if (dataset.schema !== undefined) {
      checkLength(dataset.schema, LIMITS.datasetSchemaLength, `${at}.dataset.schema`)
    }
    if (dataset.profile !== undefined) {
      checkLength(dataset.profile, LIMITS.datasetProfileLength, `${at}.dataset.profile`)
    }
    tags.forEach((tag, j) => {
      checkLength(tag.key, LIMITS.inputTagKeyLength, `${at}.tags[${j}].key`)
      checkLength(tag.value, LIMITS.inputTagValueLength, `${at}.tags[${j}].value`)
    })
  })
}

/**
 * MLflow's log-inputs: a dataset is stored once per (experiment, name, digest) and linked to the
 * run; the link carries the input tags (such as `mlflow.data.context`). Logging the same dataset
 * to the same run again changes nothing, as in MLflow.
 */
export class InputsService {
  constructor(private readonly store: MetadataStore) {}

  async logInputs(runId: string, inputs: readonly DatasetInput[]): Promise<void> {
    validateDatasetInputs(inputs)
    await this.store.db.transaction().execute(async (trx) => {
      const run = await requireActiveRun(trx, runId)
      for (const { dataset, tags } of inputs) {
        await trx
          .insertInto('datasets')
          .values({
            dataset_uuid: newHexId(),
            experiment_id: run.experiment_id,
            name: dataset.name,
            digest: dataset.digest,
            source_type: dataset.source_type,
            source: dataset.source,
            schema: dataset.schema ?? null,
            profile: dataset.profile ?? null,
          })
          .onConflict((oc) => oc.columns(['experiment_id', 'name', 'digest']).doNothing())
          .execute()
        const { dataset_uuid } = await trx
          .selectFrom('datasets')
          .select('dataset_uuid')
          .where('experiment_id', '=', run.experiment_id)
          .where('name', '=', dataset.name)
          .where('digest', '=', dataset.digest)
          .executeTakeFirstOrThrow()
        const inputUuid = newHexId()
        const linked = await trx
          .insertInto('inputs')
          .values({
            input_uuid: inputUuid,
            source_type: 'DATASET',
            source_id: dataset_uuid,
            destination_type: 'RUN',
            destination_id: runId,
          })
          .onConflict((oc) =>
            oc
              .columns(['source_type', 'source_id', 'destination_type', 'destination_id'])
              .doNothing(),
          )
          .returning('input_uuid')
          .execute()
        if (linked.length === 0 || tags.length === 0) continue
        const uniqueTags = new Map(tags.map((t) => [t.key, t.value]))
        await trx
          .insertInto('input_tags')
          .values([...uniqueTags].map(([key, value]) => ({ input_uuid: inputUuid, key, value })))
          .execute()
      }
    })
  }
}
