import {
  DatasetLineageWire,
  ModelLineageTreeWire,
  PredictionLineageQuery,
  PredictionLineageWire,
} from '@ballast/contracts'
import { datasetLineage, modelLineage, predictionLineage } from '../../runtime/lineage.js'
import { defineRoute, type AnyRoute } from '../route.js'

/**
 * Lineage end to end: a prediction, model version or dataset version and what made it. A model
 * ref holds a slash (`loans/3`), so clients send it encoded (`loans%2F3`).
 */
export const LINEAGE_ROUTES: readonly AnyRoute[] = [
  /** `?deployment=` narrows the search to one deployment's log. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/lineage/predictions/:id',
    permission: 'viewer',
    query: PredictionLineageQuery,
    response: PredictionLineageWire,
    handler: async ({ params, query, services }) =>
      predictionLineage(services, params.id ?? '', query.deployment),
  }),

  defineRoute({
    method: 'GET',
    path: '/api/v1/lineage/models/:ref',
    permission: 'viewer',
    response: ModelLineageTreeWire,
    handler: async ({ params, services }) => modelLineage(services, params.ref ?? ''),
  }),

  defineRoute({
    method: 'GET',
    path: '/api/v1/lineage/datasets/:ref',
    permission: 'viewer',
    response: DatasetLineageWire,
    handler: async ({ params, services }) => datasetLineage(services, params.ref ?? ''),
  }),
]
