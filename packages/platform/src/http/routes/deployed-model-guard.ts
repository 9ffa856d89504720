import { AppError } from '@ballast/contracts'
import type { Services } from '../../runtime/services.js'

/**
 * Refuses (409) a registry change that would pull a model version from under a live deployment:
 * deleting or renaming the model, or deleting a version a deployment serves as primary, canary,
 * shadow or rollback target. Checked before the change, so a deployment created in between can
 * still lose its model; the data plane then keeps serving what it has loaded.
 */
export async function refuseIfDeployed(
  services: Services,
  action: string,
  model: string,
  version?: string,
): Promise<void> {
  const deployments = await services.serving.deployments.list()
  for (const d of deployments) {
    if (d.model !== model) continue
    const served = [d.version, d.previousVersion, d.canary?.version, d.shadow?.version]
    if (version !== undefined && !served.includes(Number(version))) continue
    const what = version === undefined ? `model '${model}'` : `version ${version} of '${model}'`
    throw new AppError(
      'CONFLICT',
      `cannot ${action} ${what}: deployment '${d.name}' serves it; delete the deployment or move it to another model first`,
    )
  }
}
