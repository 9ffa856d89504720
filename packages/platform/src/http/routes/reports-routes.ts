import { OpsReportQuery, OpsReportWire, parseTimeParameter } from '@ballast/contracts'
import { opsReport } from '../../runtime/ops-report.js'
import { defineRoute, type AnyRoute } from '../route.js'

export const REPORTS_ROUTES: readonly AnyRoute[] = [
  /** `?since=ISO|epoch ms`: the operations report of the delivery loop. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/reports/ops',
    permission: 'viewer',
    query: OpsReportQuery,
    response: OpsReportWire,
    handler: async ({ query, services }) =>
      opsReport(
        services,
        query.since === undefined ? {} : { since: parseTimeParameter(query.since, 'since') },
      ),
  }),
]
