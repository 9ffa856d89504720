import { InvalidParameterError } from '@ballast/contracts'
import { DOUBLE, type DuckDBType, INTEGER, VARCHAR } from '@duckdb/node-api'
import type { BatchOutput } from './batch-session.js'
import { quoteIdentifier, quoteLiteral } from './sql-text.js'

/** One column the scoring adds to the output, kept in the scratch table as it is computed. */
export interface PredictionColumn {
  /** The column's name in the output file. */
  name: string
  /** The scratch table's column: `c0`, `c1`, … */
  scratch: string
  type: DuckDBType
  /** The ONNX output it comes from, and where in each row's values. */
  output: string
  offset: number
  /** SQL over the scratch column (scratch table aliased `p`) that gives the output value. */
  selectSql: string
}

export interface ModelOutputsInfo {
  /** Outputs onnxruntime returns as tensors. */
  tensorOutputs: readonly string[]
  classes: readonly (string | number)[] | null
}

function classList(classes: readonly (string | number)[]): string {
  const numeric = classes.every((c) => typeof c === 'number')
  const items = classes.map((c) => (numeric ? String(c) : quoteLiteral(String(c))))
  return `[${items.join(', ')}]`
}

/**
 * The columns a model's answers become: `prediction` (the class label, or the value), and for a
 * classifier with known classes one `probability_<class>` per class. A Ballast classifier's
 * `label` is an index into its classes, mapped to the label when the file is written.
 */
export function predictionColumns(model: ModelOutputsInfo): PredictionColumn[] {
  const has = (name: string) => model.tensorOutputs.includes(name)
  const columns: PredictionColumn[] = []
  const add = (
    name: string,
    type: DuckDBType,
    output: string,
    offset: number,
    select?: (scratch: string) => string,
  ) => {
    const scratch = `c${columns.length}`
    columns.push({
      name,
      scratch,
      type,
      output,
      offset,
      selectSql: `${select === undefined ? `p.${scratch}` : select(`p.${scratch}`)} AS ${quoteIdentifier(name)}`,
    })
  }
  if (model.classes !== null && has('label')) {
    const list = classList(model.classes)
    add('prediction', INTEGER, 'label', 0, (c) => `${list}[${c} + 1]`)
    if (has('probabilities')) {
      model.classes.forEach((cls, k) => add(`probability_${cls}`, DOUBLE, 'probabilities', k))
    }
    return columns
  }
  if (has('prediction')) {
    add('prediction', DOUBLE, 'prediction', 0)
    return columns
  }
  const first = has('label') ? 'label' : model.tensorOutputs[0]
  if (first === undefined) {
    throw new InvalidParameterError('the model has no tensor output to write as a prediction')
  }
  add('prediction', DOUBLE, first, 0)
  return columns
}

/** The element of each row a column takes, as DuckDB wants it. */
export function columnValue(
  column: PredictionColumn,
  output: BatchOutput,
  row: number,
  rows: number,
): number | string | null {
  const stride = output.data.length / rows
  const value = output.data[row * stride + column.offset]
  if (value === undefined) return null
  if (typeof value === 'bigint') return Number(value)
  return value
}

/** A string-valued output (an imported classifier's labels) is written as text. */
export function withOutputTypes(
  columns: PredictionColumn[],
  outputs: Record<string, BatchOutput>,
): PredictionColumn[] {
  return columns.map((c) =>
    Array.isArray(outputs[c.output]?.data) && c.type === DOUBLE ? { ...c, type: VARCHAR } : c,
  )
}
