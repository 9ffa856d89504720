import type { AnyRoute } from '../route.js'
import { ARTIFACTS_GC_ROUTES } from './artifacts-gc-routes.js'
import { AUDIT_ROUTES } from './audit-routes.js'
import { DATASETS_ROUTES } from './datasets-routes.js'
import { DECISIONS_ROUTES } from './decisions-routes.js'
import { DEPLOYMENTS_ROUTES } from './deployments-routes.js'
import { HEALTH_ROUTES } from './health-routes.js'
import { JOBS_ROUTES } from './jobs-routes.js'
import { LINEAGE_ROUTES } from './lineage-routes.js'
import { MLFLOW_ROUTES } from './mlflow-api-routes.js'
import { MODELS_ROUTES } from './models-routes.js'
import { MONITORS_ROUTES } from './monitors-routes.js'
import { PIPELINES_ROUTES } from './pipelines-routes.js'
import { PREDICTIONS_ROUTES } from './predictions-routes.js'
import { REPORTS_ROUTES } from './reports-routes.js'
import { ROLLOUTS_ROUTES } from './rollouts-routes.js'
import { TOKENS_ROUTES } from './tokens-routes.js'
import { TRAININGS_ROUTES } from './trainings-routes.js'
import { TRIGGERS_ROUTES } from './triggers-routes.js'

/** Every route Ballast serves, one list per context. */
export const ALL_ROUTES: readonly AnyRoute[] = [
  ...HEALTH_ROUTES,
  ...TOKENS_ROUTES,
  ...AUDIT_ROUTES,
  ...ARTIFACTS_GC_ROUTES,
  ...MLFLOW_ROUTES,
  ...DATASETS_ROUTES,
  ...JOBS_ROUTES,
  ...MODELS_ROUTES,
  ...TRAININGS_ROUTES,
  ...PREDICTIONS_ROUTES,
  ...DEPLOYMENTS_ROUTES,
  ...ROLLOUTS_ROUTES,
  ...DECISIONS_ROUTES,
  ...MONITORS_ROUTES,
  ...PIPELINES_ROUTES,
  ...TRIGGERS_ROUTES,
  ...LINEAGE_ROUTES,
  ...REPORTS_ROUTES,
]
