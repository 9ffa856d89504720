import type { Insertable, Kysely } from 'kysely'
import type { DatabaseSchema, RunsTable } from '../../../storage/schema.js'

/**
 * A small tracking database for search tests, inserted straight into the tables:
 *
 * | run | exp | name        | user | status   | start | end  | stage   | acc  | loss | lr    | model  | team   |
 * |-----|-----|-------------|------|----------|-------|------|---------|------|------|-------|--------|--------|
 * | r01 | 1   | alpha       | ana  | FINISHED | 1000  | 2000 | active  | 0.5  | 0.3  | 0.01  | cnn    | vision |
 * | r02 | 1   | beta        | bob  | FAILED   | 2000  | -    | active  | 0.9  | 0.1  | 0.1   | CNN    | nlp    |
 * | r03 | 1   | gamma       | ana  | FINISHED | 3000  | 3500 | active  | NaN  | 0.2  | 0.01  | rnn    | -      |
 * | r04 | 1   | delta       | cy   | RUNNING  | 4000  | -    | active  | 0.7  | -    | 0.001 | -      | -      |
 * | r05 | 1   | Alpha2      | ana  | FINISHED | 4000  | 4100 | active  | 0.9  | 0    | -     | cnn_v2 | Vision |
 * | r06 | 1   | deleted-one | ana  | FINISHED | 5000  | 5100 | deleted | 0.95 | -    | -     | -      | -      |
 * | r07 | 2   | other       | bob  | FINISHED | 6000  | 6100 | active  | 0.99 | -    | 0.01  | -      | -      |
 *
 * Tags `note`: r03 `50%_off`, r04 `50 percent`. Datasets: iris (digest abc) used by r01 (train)
 * and r03 (eval); wine (digest def) used by r02 (eval).
 */
export async function insertSearchFixtures(db: Kysely<DatabaseSchema>): Promise<void> {
  await db
    .insertInto('experiments')
    .values(
      [1, 2].map((id) => ({
        experiment_id: id,
        name: `exp-${id}`,
        artifact_location: `mlflow-artifacts:/${id}`,
        lifecycle_stage: 'active',
        creation_time: id,
        last_update_time: id,
      })),
    )
    .execute()

  const run = (
    id: string,
    experiment: number,
    name: string,
    user: string,
    status: string,
    start: number,
    end: number | null,
    stage = 'active',
  ): Insertable<RunsTable> => ({
    run_uuid: id,
    experiment_id: experiment,
    name,
    user_id: user,
    status,
    start_time: start,
    end_time: end,
    lifecycle_stage: stage,
    artifact_uri: `mlflow-artifacts:/${experiment}/${id}/artifacts`,
    deleted_time: stage === 'deleted' ? start + 1 : null,
  })
  await db
    .insertInto('runs')
    .values([
      run('r01', 1, 'alpha', 'ana', 'FINISHED', 1000, 2000),
      run('r02', 1, 'beta', 'bob', 'FAILED', 2000, null),
      run('r03', 1, 'gamma', 'ana', 'FINISHED', 3000, 3500),
      run('r04', 1, 'delta', 'cy', 'RUNNING', 4000, null),
      run('r05', 1, 'Alpha2', 'ana', 'FINISHED', 4000, 4100),
      run('r06', 1, 'deleted-one', 'ana', 'FINISHED', 5000, 5100, 'deleted'),
      run('r07', 2, 'other', 'bob', 'FINISHED', 6000, 6100),
    ])
    .execute()

  const metric = (runId: string, key: string, value: number) => ({
    run_uuid: runId,
    key,
    // MLflow stores NaN as 0 with is_nan set.
    value: Number.isNaN(value) ? 0 : value,
    is_nan: Number.isNaN(value) ? 1 : 0,
    timestamp: 1,
    step: 0,
  })
  await db
    .insertInto('latest_metrics')
    .values([
      metric('r01', 'acc', 0.5),
      metric('r02', 'acc', 0.9),
      metric('r03', 'acc', NaN),
      metric('r04', 'acc', 0.7),
      metric('r05', 'acc', 0.9),
      metric('r06', 'acc', 0.95),
      metric('r07', 'acc', 0.99),
      metric('r01', 'loss', 0.3),
      metric('r02', 'loss', 0.1),
      metric('r03', 'loss', 0.2),
      metric('r05', 'loss', 0),
    ])
    .execute()

  const keyValue = (run_uuid: string, key: string, value: string) => ({ run_uuid, key, value })
  await db
    .insertInto('params')
    .values([
      keyValue('r01', 'lr', '0.01'),
      keyValue('r02', 'lr', '0.1'),
      keyValue('r03', 'lr', '0.01'),
      keyValue('r04', 'lr', '0.001'),
      keyValue('r07', 'lr', '0.01'),
      keyValue('r01', 'model', 'cnn'),
      keyValue('r02', 'model', 'CNN'),
      keyValue('r03', 'model', 'rnn'),
      keyValue('r05', 'model', 'cnn_v2'),
    ])
    .execute()
  await db
    .insertInto('tags')
    .values([
      keyValue('r01', 'team', 'vision'),
      keyValue('r02', 'team', 'nlp'),
      keyValue('r05', 'team', 'Vision'),
      keyValue('r03', 'note', '50%_off'),
      keyValue('r04', 'note', '50 percent'),
    ])
    .execute()

  const dataset = (uuid: string, name: string, digest: string) => ({
    dataset_uuid: uuid,
    experiment_id: 1,
    name,
    digest,
    source_type: 'local',
    source: `/data/${name}.csv`,
    schema: null,
    profile: null,
  })
  await db
    .insertInto('datasets')
    .values([dataset('ds1', 'iris', 'abc'), dataset('ds2', 'wine', 'def')])
    .execute()
  const input = (uuid: string, datasetUuid: string, runId: string) => ({
    input_uuid: uuid,
    source_type: 'DATASET',
    source_id: datasetUuid,
    destination_type: 'RUN',
    destination_id: runId,
  })
  await db
    .insertInto('inputs')
    .values([input('in1', 'ds1', 'r01'), input('in2', 'ds2', 'r02'), input('in3', 'ds1', 'r03')])
    .execute()
  await db
    .insertInto('input_tags')
    .values([
      { input_uuid: 'in1', key: 'mlflow.data.context', value: 'train' },
      { input_uuid: 'in2', key: 'mlflow.data.context', value: 'eval' },
      { input_uuid: 'in3', key: 'mlflow.data.context', value: 'eval' },
    ])
    .execute()
}
