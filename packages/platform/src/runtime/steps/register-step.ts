import { AlreadyExistsError } from '@ballast/contracts'
import type { StepOutputs } from '../../orchestration/index.js'
import { MODEL_ARTIFACT_PATH } from '../../registry/index.js'
import { checkKeys, stringInput } from './step-inputs.js'
import type { StepKind } from './step-types.js'

/**
 * `register`: registers a run's model as a new version (the model is created when missing) and,
 * with `alias`, moves the alias to it. With `expected_version` the move is a compare-and-set: it
 * happens only if the alias still points there, so two loops cannot race. Outputs {model:
 * "NAME/VERSION", version}. Never served from cache: registering is the point.
 */

const KEYS = ['run_id', 'model', 'alias', 'expected_version', 'path'] as const

export const registerStep: StepKind = {
  kind: 'register',
  cacheable: false,
  validate(inputs, field) {
    checkKeys(inputs, KEYS, field)
    stringInput(inputs, 'run_id', field, true)
    stringInput(inputs, 'model', field, true)
    stringInput(inputs, 'alias', field)
    stringInput(inputs, 'expected_version', field)
    stringInput(inputs, 'path', field)
  },
  async run(ctx, inputs): Promise<StepOutputs> {
    const { registry } = ctx.services
    const runId = stringInput(inputs, 'run_id', 'with', true)
    const name = stringInput(inputs, 'model', 'with', true)
    const alias = stringInput(inputs, 'alias', 'with')
    const expected = stringInput(inputs, 'expected_version', 'with')
    const artifactPath = stringInput(inputs, 'path', 'with') ?? MODEL_ARTIFACT_PATH
    try {
      await registry.models.create({ name }, ctx.actor)
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error
    }
    const version = await registry.versions.create(
      { name, source: `runs:/${runId}/${artifactPath}`, runId },
      ctx.actor,
    )
    ctx.log(`registered ${name} version ${version.version}`)
    if (alias !== undefined) {
      await registry.aliases.set(
        { name, alias, version: version.version, expectedVersion: expected },
        ctx.actor,
      )
      ctx.log(`moved ${name}@${alias} to version ${version.version}`)
    }
    return { model: `${name}/${version.version}`, version: Number(version.version) }
  },
}
