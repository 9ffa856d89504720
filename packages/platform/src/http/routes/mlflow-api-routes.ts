import type { AnyRoute } from '../route.js'
import {
  MLFLOW_PROXIED_ARTIFACT_ROUTES,
  MLFLOW_RUN_ARTIFACT_ROUTES,
} from './mlflow-artifacts-routes.js'
import { MLFLOW_EXPERIMENT_ROUTES } from './mlflow-experiments-routes.js'
import { MLFLOW_METRIC_ROUTES } from './mlflow-metrics-routes.js'
import { MLFLOW_REGISTRY_ROUTES } from './mlflow-registry-routes.js'
import { MLFLOW_RUN_LOGGING_ROUTES } from './mlflow-run-logging-routes.js'
import { MLFLOW_RUN_ROUTES } from './mlflow-runs-routes.js'

/**
 * MLflow serves every tracking endpoint twice: under `/api/2.0/` for clients and `/ajax-api/2.0/`
 * for its web UI. Each route is defined once, relative, and mounted under both.
 */
const API_ROOTS = ['/api/2.0', '/ajax-api/2.0'] as const

function mountedUnder(section: string, routes: readonly AnyRoute[]): AnyRoute[] {
  return API_ROOTS.flatMap((root) =>
    routes.map((route) => ({ ...route, path: `${root}/${section}${route.path}` })),
  )
}

/** Every MLflow-compatible route: tracking under `mlflow/`, proxied artifacts under `mlflow-artifacts/`. */
export const MLFLOW_ROUTES: readonly AnyRoute[] = [
  ...mountedUnder('mlflow', [
    ...MLFLOW_EXPERIMENT_ROUTES,
    ...MLFLOW_RUN_ROUTES,
    ...MLFLOW_RUN_LOGGING_ROUTES,
    ...MLFLOW_METRIC_ROUTES,
    ...MLFLOW_RUN_ARTIFACT_ROUTES,
    ...MLFLOW_REGISTRY_ROUTES,
  ]),
  ...mountedUnder('mlflow-artifacts', MLFLOW_PROXIED_ARTIFACT_ROUTES),
]
