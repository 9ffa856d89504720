import { AppError } from '@ballast/contracts'
import type { Services } from '../services.js'

/** Where `model@alias` points now; null when it is not set. */
export async function aliasVersion(
  services: Services,
  model: string,
  alias: string,
): Promise<number | null> {
  const found = await services.registry.aliases.lookup([{ name: model, alias }])
  return found.get(`${model}@${alias}`) ?? null
}

/**
 * Moves `model@alias` to `version` only if it still points where it did when the rollout began
 * (`expected`; null: it was not set), so two loops promoting the same model cannot both win.
 * The registry's compare-and-set does the move in one transaction with its audit entry. An alias
 * that was not set has nothing to compare in that transaction: it is checked just before.
 */
export async function moveAliasIfUnchanged(
  services: Services,
  move: { model: string; alias: string; expected: number | null; version: number; actor: string },
): Promise<void> {
  const { model, alias, expected, version, actor } = move
  const conflict = (now: number | null) =>
    new AppError(
      'CONFLICT',
      `Alias '${alias}' of model '${model}' ${now === null ? 'is not set' : `points at version ${now}`}, ` +
        `not version ${expected ?? '(not set)'} as when the rollout started; ` +
        `it was not moved to version ${version}`,
    )
  if (expected === null) {
    const now = await aliasVersion(services, model, alias)
    if (now !== null) throw conflict(now)
    await services.registry.aliases.set({ name: model, alias, version: String(version) }, actor)
    return
  }
  try {
    await services.registry.aliases.set(
      { name: model, alias, version: String(version), expectedVersion: String(expected) },
      actor,
    )
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'CONFLICT') throw error
    throw conflict(await aliasVersion(services, model, alias))
  }
}
