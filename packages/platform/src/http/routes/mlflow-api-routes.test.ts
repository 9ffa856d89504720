import { describe, expect, it } from 'vitest'
import { MLFLOW_ROUTES } from './mlflow-api-routes.js'

const key = (r: { method: unknown; path: string }) => `${String(r.method)} ${r.path}`

describe('MLFLOW_ROUTES', () => {
  it('serves every route under /api/2.0 and /ajax-api/2.0, once each', () => {
    const keys = MLFLOW_ROUTES.map(key)
    expect(new Set(keys).size).toBe(keys.length)
    const api = keys.filter((k) => k.includes(' /api/2.0/'))
    const ajax = keys.filter((k) => k.includes(' /ajax-api/2.0/'))
    expect(api.length + ajax.length).toBe(keys.length)
    expect(ajax.sort()).toEqual(api.map((k) => k.replace(' /api/2.0/', ' /ajax-api/2.0/')).sort())
  })

  it('lets viewers read (GET, and the POST searches) and requires editors to write', () => {
    for (const route of MLFLOW_ROUTES) {
      const read =
        route.method === 'GET' ||
        route.path.endsWith('/search') ||
        route.path.endsWith('/get-latest-versions')
      expect(route.permission, key(route)).toBe(read ? 'viewer' : 'editor')
    }
  })

  it('covers MLflow tracking and model-registry REST API 2.0 and the proxied artifact API', () => {
    const api = MLFLOW_ROUTES.map(key).filter((k) => k.includes(' /api/2.0/'))
    expect(api.sort()).toEqual(
      [
        'POST /api/2.0/mlflow/experiments/create',
        'GET /api/2.0/mlflow/experiments/get',
        'GET /api/2.0/mlflow/experiments/get-by-name',
        'POST /api/2.0/mlflow/experiments/search',
        'GET /api/2.0/mlflow/experiments/search',
        'POST /api/2.0/mlflow/experiments/update',
        'POST /api/2.0/mlflow/experiments/delete',
        'POST /api/2.0/mlflow/experiments/restore',
        'POST /api/2.0/mlflow/experiments/set-experiment-tag',
        'POST /api/2.0/mlflow/experiments/delete-experiment-tag',
        'POST /api/2.0/mlflow/runs/create',
        'GET /api/2.0/mlflow/runs/get',
        'POST /api/2.0/mlflow/runs/update',
        'POST /api/2.0/mlflow/runs/delete',
        'POST /api/2.0/mlflow/runs/restore',
        'POST /api/2.0/mlflow/runs/search',
        'GET /api/2.0/mlflow/runs/search',
        'POST /api/2.0/mlflow/runs/log-metric',
        'POST /api/2.0/mlflow/runs/log-parameter',
        'POST /api/2.0/mlflow/runs/set-tag',
        'POST /api/2.0/mlflow/runs/delete-tag',
        'POST /api/2.0/mlflow/runs/log-batch',
        'POST /api/2.0/mlflow/runs/log-inputs',
        'GET /api/2.0/mlflow/metrics/get-history',
        'GET /api/2.0/mlflow/metrics/get-history-bulk-interval',
        'GET /api/2.0/mlflow/artifacts/list',
        'GET /api/2.0/mlflow-artifacts/artifacts',
        'GET /api/2.0/mlflow-artifacts/artifacts/:path{.+}',
        'PUT /api/2.0/mlflow-artifacts/artifacts/:path{.+}',
        'DELETE /api/2.0/mlflow-artifacts/artifacts/:path{.+}',
        'POST /api/2.0/mlflow/registered-models/create',
        'GET /api/2.0/mlflow/registered-models/get',
        'GET /api/2.0/mlflow/registered-models/search',
        'POST /api/2.0/mlflow/registered-models/rename',
        'PATCH /api/2.0/mlflow/registered-models/update',
        'DELETE /api/2.0/mlflow/registered-models/delete',
        'POST /api/2.0/mlflow/registered-models/set-tag',
        'DELETE /api/2.0/mlflow/registered-models/delete-tag',
        'POST /api/2.0/mlflow/registered-models/get-latest-versions',
        'GET /api/2.0/mlflow/registered-models/get-latest-versions',
        'POST /api/2.0/mlflow/registered-models/alias',
        'DELETE /api/2.0/mlflow/registered-models/alias',
        'GET /api/2.0/mlflow/registered-models/alias',
        'POST /api/2.0/mlflow/model-versions/create',
        'GET /api/2.0/mlflow/model-versions/get',
        'GET /api/2.0/mlflow/model-versions/search',
        'PATCH /api/2.0/mlflow/model-versions/update',
        'POST /api/2.0/mlflow/model-versions/transition-stage',
        'DELETE /api/2.0/mlflow/model-versions/delete',
        'POST /api/2.0/mlflow/model-versions/set-tag',
        'DELETE /api/2.0/mlflow/model-versions/delete-tag',
        'GET /api/2.0/mlflow/model-versions/get-download-uri',
      ].sort(),
    )
  })
})
