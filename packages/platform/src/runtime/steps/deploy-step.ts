import { AppError, NotFoundError } from '@ballast/contracts'
import type { StepInputs, StepOutputs } from '../../orchestration/index.js'
import {
  type Deployment,
  type Rollout,
  type RolloutFigures,
  type RolloutStatus,
  createRolloutStore,
} from '../../serving/index.js'
import type { Services } from '../services.js'
import type { StepContext, StepKind } from './step-types.js'
import { judgeCanary } from './canary-verdict.js'
import { type WatchClock, watchCanary } from './canary-watch.js'
import { type DeployInputs, parseDeployInputs } from './deploy-inputs.js'
import { aliasVersion, moveAliasIfUnchanged } from './rollout-alias.js'

/** Who changes deployments and aliases for a rollout. */
export const ROLLOUT_ACTOR = 'system:rollout'

const ACTIONS: Partial<Record<RolloutStatus, string>> = {
  promoted: 'promoted',
  rolled_back: 'rolled_back',
  deployed: 'deployed',
}

async function resolveVersion(services: Services, spec: DeployInputs): Promise<number> {
  const ref = spec.model
  if (ref.kind === 'version') return ref.version
  const version = await aliasVersion(services, ref.model, ref.alias)
  if (version === null)
    throw new NotFoundError(`Registered model alias ${ref.model}@${ref.alias} not found`)
  return version
}

async function findDeployment(services: Services, name: string): Promise<Deployment | null> {
  try {
    return await services.serving.deployments.get(name)
  } catch (error) {
    if (error instanceof NotFoundError) return null
    throw error
  }
}

/** The step's outputs (and what its tracking run records) for a finished rollout. */
function outputsOf(r: Rollout): StepOutputs {
  const figures = Object.fromEntries(
    Object.entries(r.figures).filter(([, v]) => typeof v === 'number' || v === null),
  )
  return {
    action: ACTIONS[r.status] ?? r.status,
    deployment: r.deployment,
    model: r.model,
    version: r.version,
    from_version: r.fromVersion,
    rollout: r.id,
    reasons: r.reasons.join('; '),
    ...figures,
  }
}

async function record(ctx: StepContext, r: Rollout): Promise<void> {
  const metrics = Object.entries(r.figures)
    .filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]))
    .map(([key, value]) => ({ key: `rollout.${key}`, value, timestamp: Date.now(), step: 0 }))
  try {
    await ctx.services.tracking.logging.logBatch(ctx.trackingRunId, {
      metrics,
      tags: [
        { key: 'ballast.rollout.id', value: r.id },
        { key: 'ballast.rollout.action', value: ACTIONS[r.status] ?? r.status },
        { key: 'ballast.rollout.reasons', value: r.reasons.join('\n').slice(0, 5000) },
      ],
    })
  } catch (error) {
    ctx.log(
      `could not record the rollout on tracking run ${ctx.trackingRunId}: ${(error as Error).message}`,
      'warn',
    )
  }
  ctx.log(
    `${r.deployment}: ${ACTIONS[r.status] ?? r.status} ${r.model}/${r.version}: ${r.reasons.join('; ')}`,
  )
}

export type DeployStepOptions = Partial<WatchClock>

/**
 * The `deploy` step: makes a model version a deployment's primary, directly or through a watched
 * canary that is promoted or rolled back by what it measures, and then moves an alias with
 * compare-and-set. Each rollout is a row of `rollouts`; a retried step (after a crash or a lost
 * lease) resumes the watch it finds there, keeping its start, or repeats a finished outcome.
 */
export function createDeployStep(options: DeployStepOptions = {}): StepKind {
  const clock: WatchClock = { pollMs: options.pollMs ?? 1_000, now: options.now ?? Date.now }
  return {
    kind: 'deploy',
    // A deployment changes the world: running it again is never the same as reusing it.
    cacheable: false,
    validate(inputs: StepInputs, field: string) {
      parseDeployInputs(inputs, field, true)
    },
    async run(ctx, inputs) {
      const spec = parseDeployInputs(inputs, 'with') as DeployInputs
      const { services } = ctx
      const rollouts = createRolloutStore(services.store)
      const version = await resolveVersion(services, spec)
      const model = spec.model.model
      const last = await rollouts.latestFor(ctx.runId, ctx.step)
      if (last !== null && last.deployment === spec.deployment && last.version === version) {
        if (last.status === 'failed') throw new AppError('CONFLICT', last.reasons.join('; '))
        if (last.status !== 'watching') return outputsOf(last)
      }
      const finish = async (
        r: Rollout,
        status: RolloutStatus,
        reasons: string[],
        figures: RolloutFigures = {},
      ) => {
        const done = await rollouts.finish(r.id, { status, reasons, figures, time: clock.now() })
        await record(ctx, done)
        return done
      }
      const current = await findDeployment(services, spec.deployment)
      const rollout =
        last?.status === 'watching' &&
        last.deployment === spec.deployment &&
        last.version === version
          ? last
          : await rollouts.start({
              deployment: spec.deployment,
              model,
              version,
              fromVersion: current?.version ?? null,
              percent: spec.canary !== null && current !== null ? spec.canary.percent : null,
              alias: spec.alias,
              aliasVersion:
                spec.alias === null ? null : await aliasVersion(services, model, spec.alias),
              startedAt: clock.now(),
              pipelineRun: ctx.runId,
              step: ctx.step,
              createdBy: ctx.actor,
            })
      if (rollout === last)
        ctx.log(
          `resuming the watch of rollout ${rollout.id} started ${new Date(rollout.startedAt).toISOString()}`,
        )

      let outcome: Rollout
      if (rollout.percent === null || current === null || spec.canary === null) {
        outcome = await deployDirectly(ctx, rollout, current, finish)
      } else {
        if (current.canary?.version !== version) {
          await services.serving.deployments.canary(
            spec.deployment,
            { version, percent: spec.canary.percent },
            ROLLOUT_ACTOR,
          )
        }
        const { figures, enough } = await watchCanary(ctx, rollout, spec.canary, clock)
        const verdict = enough
          ? judgeCanary(figures, spec.canary)
          : {
              promote: false,
              reasons: [
                `not enough traffic: the canary answered ${figures.canary_predictions} predictions within the timeout of ${spec.canary.timeoutMs / 1000} s`,
              ],
            }
        if (!verdict.promote) {
          await services.serving.deployments.canary(spec.deployment, null, ROLLOUT_ACTOR)
          return outputsOf(await finish(rollout, 'rolled_back', verdict.reasons, { ...figures }))
        }
        await services.serving.deployments.promote(spec.deployment, ROLLOUT_ACTOR)
        outcome = await finish(rollout, 'promoted', verdict.reasons, { ...figures })
      }
      if (rollout.alias !== null) {
        try {
          await moveAliasIfUnchanged(services, {
            model,
            alias: rollout.alias,
            expected: rollout.aliasVersion,
            version,
            actor: ROLLOUT_ACTOR,
          })
        } catch (error) {
          if (error instanceof AppError && error.code === 'CONFLICT') {
            await finish(outcome, 'failed', [...outcome.reasons, error.message], outcome.figures)
          }
          throw error
        }
      }
      return outputsOf(outcome)
    },
  }
}

/** No canary (or nothing to compare it with): the version becomes the primary at once. */
async function deployDirectly(
  ctx: StepContext,
  rollout: Rollout,
  current: Deployment | null,
  finish: (r: Rollout, s: RolloutStatus, reasons: string[]) => Promise<Rollout>,
): Promise<Rollout> {
  const deployments = ctx.services.serving.deployments
  const ref = `${rollout.model}/${rollout.version}`
  if (current === null) {
    await deployments.create({ name: rollout.deployment, model: ref }, ROLLOUT_ACTOR)
    return finish(rollout, 'deployed', [
      `created deployment '${rollout.deployment}' serving ${ref}`,
    ])
  }
  if (current.version === rollout.version) {
    return finish(rollout, 'deployed', [`${ref} is already the primary of '${rollout.deployment}'`])
  }
  // The deployment service moves a primary through a canary: a canary of the version, promoted
  // at once, is the same change in two recorded steps.
  await deployments.canary(
    rollout.deployment,
    { version: rollout.version, percent: 50 },
    ROLLOUT_ACTOR,
  )
  await deployments.promote(rollout.deployment, ROLLOUT_ACTOR)
  return finish(rollout, 'deployed', [`${ref} replaced version ${current.version} as the primary`])
}

/** The step kind registered for `deploy`. */
export const deployStep = createDeployStep()
