import {
  type AddWebhookResponse,
  type CreateMonitorRequest,
  type DeliveriesResponse,
  type GetMonitorResponse,
  type ListMonitorsResponse,
  type ListWebhooksResponse,
  MONITOR_EVENTS_API,
  MONITORS_API,
  type MonitorEventsResponse,
  type MonitorResponse,
  type MonitorResultsResponse,
  type WebhookResponse,
  monitorPath,
} from '@ballast/contracts'
import type { Ballast } from '@ballast/sdk'

/** The monitors API, typed, for the `ballast monitor …` commands. */
// The SDK drops undefined query values, so options pass through as they are.
export function monitorsApi(ballast: Ballast) {
  return {
    create: (body: CreateMonitorRequest) =>
      ballast.request<MonitorResponse>('POST', MONITORS_API, body),
    list: () => ballast.request<ListMonitorsResponse>('GET', MONITORS_API),
    get: (name: string) => ballast.request<GetMonitorResponse>('GET', monitorPath(name)),
    delete: (name: string) => ballast.request<MonitorResponse>('DELETE', monitorPath(name)),
    /** Evaluating many windows takes as long as it takes: no client timeout. */
    async evaluate(name: string): Promise<MonitorResultsResponse> {
      const response = await ballast.http.send({
        method: 'POST',
        path: monitorPath(name, '/evaluate'),
        body: () => '{}',
        contentType: 'application/json',
        noTimeout: true,
      })
      return (await response.json()) as MonitorResultsResponse
    },
    results: (name: string, options: { limit?: number | undefined } = {}) =>
      ballast.request<MonitorResultsResponse>('GET', monitorPath(name, '/results'), {
        limit: options.limit,
      }),
    /** The HTML page the server renders. */
    async report(name: string, options: { limit?: number | undefined } = {}): Promise<string> {
      const response = await ballast.http.send({
        method: 'GET',
        path: monitorPath(name, '/report'),
        query: { limit: options.limit },
      })
      return response.text()
    },
    events: (filter: {
      monitor?: string | undefined
      deployment?: string | undefined
      type?: string | undefined
      limit?: number | undefined
    }) =>
      ballast.request<MonitorEventsResponse>(
        'GET',
        filter.monitor === undefined ? MONITOR_EVENTS_API : monitorPath(filter.monitor, '/events'),
        { deployment: filter.deployment, type: filter.type, limit: filter.limit },
      ),
    addWebhook: (name: string, body: { url: string; secret?: string }) =>
      ballast.request<AddWebhookResponse>('POST', monitorPath(name, '/webhooks'), body),
    webhooks: (name: string) =>
      ballast.request<ListWebhooksResponse>('GET', monitorPath(name, '/webhooks')),
    removeWebhook: (name: string, id: string) =>
      ballast.request<WebhookResponse>(
        'DELETE',
        monitorPath(name, `/webhooks/${encodeURIComponent(id)}`),
      ),
    deliveries: (name: string, options: { limit?: number | undefined } = {}) =>
      ballast.request<DeliveriesResponse>('GET', monitorPath(name, '/deliveries'), {
        limit: options.limit,
      }),
  }
}

export type MonitorsApi = ReturnType<typeof monitorsApi>
