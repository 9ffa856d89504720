import type { AnyRoute } from '../route.js'
import { DATASETS_ROUTES } from './datasets-routes.js'
import { DEPLOYMENTS_ROUTES } from './deployments-routes.js'
import { HEALTH_ROUTES } from './health-routes.js'
import { JOBS_ROUTES } from './jobs-routes.js'
import { MLFLOW_ROUTES } from './mlflow-api-routes.js'
import { MODELS_ROUTES } from './models-routes.js'
import { PREDICTIONS_ROUTES } from './predictions-routes.js'
import { TOKENS_ROUTES } from './tokens-routes.js'
import { TRAININGS_ROUTES } from './trainings-routes.js'

/** Every route Ballast serves, one list per context. */
export const ALL_ROUTES: readonly AnyRoute[] = [
  ...HEALTH_ROUTES,
  ...TOKENS_ROUTES,
  ...MLFLOW_ROUTES,
  ...DATASETS_ROUTES,
  ...JOBS_ROUTES,
  ...MODELS_ROUTES,
  ...TRAININGS_ROUTES,
  ...PREDICTIONS_ROUTES,
  ...DEPLOYMENTS_ROUTES,
]
