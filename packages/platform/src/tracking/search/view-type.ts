import { AppError } from '@ballast/contracts'

/** MLflow's ViewType: which lifecycle stages a search returns. */
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL'

const STAGES: Readonly<Record<ViewType, readonly string[]>> = {
  ACTIVE_ONLY: ['active'],
  DELETED_ONLY: ['deleted'],
  ALL: ['active', 'deleted'],
}

/** The lifecycle stages a view type selects; absent means ACTIVE_ONLY, as in MLflow. */
export function lifecycleStages(viewType: string | undefined, parameter: string): string[] {
  if (viewType === undefined) return [...STAGES.ACTIVE_ONLY]
  const stages = Object.hasOwn(STAGES, viewType) ? STAGES[viewType as ViewType] : undefined
  if (stages === undefined) {
    throw new AppError(
      'INVALID_PARAMETER_VALUE',
      `Invalid value '${viewType}' for parameter '${parameter}': expected ACTIVE_ONLY, DELETED_ONLY or ALL`,
    )
  }
  return [...stages]
}
