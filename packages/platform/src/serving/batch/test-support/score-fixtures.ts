import { writeFileSync } from 'node:fs'
import { DuckDBInstance } from '@duckdb/node-api'
import * as ort from 'onnxruntime-node'
import type { TabularModel, TabularTable } from '../../../training/index.js'
import { planInputs } from '../../model-runtime/input-plan.js'
import { OnnxLoadedModel } from '../../model-runtime/onnx-loaded-model.js'
import { recordsOf } from '../../model-runtime/test-support/records.js'
import type { BatchModel } from '../score-batch.js'

const SIGNATURE_TYPE = {
  integer: 'long',
  float: 'double',
  boolean: 'boolean',
  string: 'string',
  datetime: 'datetime',
} as const

/** What the registry keeps of a trained model, as batch scoring takes it. */
export function batchModelOf(model: TabularModel): BatchModel {
  return {
    onnx: model.onnx,
    inputs: model.inputs.map((i) => ({ name: i.name, type: SIGNATURE_TYPE[i.type] })),
    classes: model.classes ?? null,
  }
}

function csvCell(type: string, value: number | string | null | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return `"${value.replaceAll('"', '""')}"`
  if (Number.isNaN(value)) return ''
  if (type === 'datetime') return new Date(value).toISOString()
  return String(value)
}

/** The table as CSV with an `id` column first: missing values empty, date-times as ISO text. */
export function writeCsv(file: string, table: TabularTable): void {
  const lines = [['id', ...table.columns.map((c) => c.name)].join(',')]
  for (let r = 0; r < table.rowCount; r++) {
    const cells = table.columns.map((c) => csvCell(c.type, c.values[r]))
    lines.push([String(r + 1), ...cells].join(','))
  }
  writeFileSync(file, `${lines.join('\n')}\n`)
}

/** Runs SQL on a throwaway DuckDB and returns the rows as JS values. */
export async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS()
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

/** What the online path (one session, one intra-op thread) answers for every row of `rows`. */
export async function onlineAnswers(
  classifier: TabularModel,
  rows: TabularTable,
  features: readonly string[],
) {
  const model = batchModelOf(classifier)
  const session = await ort.InferenceSession.create(classifier.onnx, { intraOpNumThreads: 1 })
  const online = new OnnxLoadedModel({
    name: 'flights',
    version: 1,
    session,
    plans: planInputs('flights/1', session.inputMetadata, {
      inputs: [...model.inputs!],
      outputs: [],
    }),
    columns: [...features],
    task: 'classification',
    classes: model.classes,
    inputExample: null,
  })
  try {
    return await online.predictRecords(recordsOf(rows, [...features]))
  } finally {
    await online.close()
  }
}
