import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  AppError,
  type ExpectationSuite,
  InvalidParameterError,
  parseExpectationSuite,
} from '@ballast/contracts'
import { parse as parseYaml } from 'yaml'
import { DuckEngine, parseDatasetRef } from '../../data/index.js'
import { validateDataset } from '../../data/validation/index.js'
import type { StepInputs, StepOutputs } from '../../orchestration/index.js'
import {
  booleanInput,
  checkKeys,
  datasetDigest,
  fileDigest,
  isReference,
  stringInput,
} from './step-inputs.js'
import type { StepKind } from './step-types.js'

/**
 * `validate`: checks a dataset version against an expectation suite (a Great Expectations JSON or
 * YAML file, or the suite inline). Outputs {passed, failed_expectations}; the step fails when an
 * expectation is not met, unless `allow_failure: true`.
 */

const KEYS = ['dataset', 'suite', 'allow_failure'] as const
const FIELD = 'with'

async function suiteOf(inputs: StepInputs): Promise<ExpectationSuite> {
  const suite = inputs.suite
  if (typeof suite !== 'string') return parseExpectationSuite(suite, `${FIELD}.suite`)
  const text = await readFile(suite, 'utf8')
  let value: unknown
  try {
    value = parseYaml(text)
  } catch (error) {
    throw new InvalidParameterError(`${suite}: not JSON or YAML: ${(error as Error).message}`)
  }
  return parseExpectationSuite(value, path.basename(suite))
}

export const validateStep: StepKind = {
  kind: 'validate',
  fileInputs: ['suite'],
  validate(inputs, field) {
    checkKeys(inputs, KEYS, field)
    const ref = stringInput(inputs, 'dataset', field, true)
    if (!isReference(ref)) parseDatasetRef(ref)
    if (inputs.suite === undefined) throw new InvalidParameterError(`${field}.suite: required`)
    if (typeof inputs.suite === 'object') parseExpectationSuite(inputs.suite, `${field}.suite`)
    else stringInput(inputs, 'suite', field, true)
    booleanInput(inputs, 'allow_failure', field)
  },
  async run(ctx, inputs): Promise<StepOutputs> {
    const suite = await suiteOf(inputs)
    const { name, version } = parseDatasetRef(stringInput(inputs, 'dataset', FIELD, true))
    const dataset = await ctx.services.data.getVersion(name, version)
    const dir = await mkdtemp(path.join(tmpdir(), 'ballast-validate-step-'))
    const engine = await DuckEngine.open()
    try {
      const parquet = path.join(dir, 'data.parquet')
      await writeFile(parquet, await ctx.services.artifacts.getBytes(dataset.blobDigest))
      const result = await validateDataset(engine, parquet, suite, dataset.schema)
      const failed = result.statistics.unsuccessful_expectations
      const all = result.statistics.evaluated_expectations
      ctx.log(`${dataset.name}@${dataset.version}: ${all - failed} of ${all} expectations met`)
      if (!result.success && !booleanInput(inputs, 'allow_failure', FIELD)) {
        throw new AppError(
          'INVALID_STATE',
          `${dataset.name}@${dataset.version}: ${failed} of ${all} expectations not met`,
        )
      }
      return { passed: result.success, failed_expectations: failed }
    } finally {
      engine.close()
      await rm(dir, { recursive: true, force: true })
    }
  },
  async inputDigests(services, inputs) {
    const out: Record<string, string> = {
      dataset: await datasetDigest(services, stringInput(inputs, 'dataset', FIELD, true)),
    }
    if (typeof inputs.suite === 'string') out.suite = await fileDigest(inputs.suite)
    return out
  },
}
