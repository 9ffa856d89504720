import type { AnyRoute } from '../route.js'
import { DATASETS_ROUTES } from './datasets-routes.js'
import { HEALTH_ROUTES } from './health-routes.js'
import { MLFLOW_ROUTES } from './mlflow-api-routes.js'
import { TOKENS_ROUTES } from './tokens-routes.js'

/** Every route Ballast serves, one list per context. */
export const ALL_ROUTES: readonly AnyRoute[] = [
  ...HEALTH_ROUTES,
  ...TOKENS_ROUTES,
  ...MLFLOW_ROUTES,
  ...DATASETS_ROUTES,
]
