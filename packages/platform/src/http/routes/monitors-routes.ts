import {
  AddWebhookRequest,
  AddWebhookResponse,
  CreateMonitorRequest,
  DeliveriesResponse,
  EvaluateMonitorRequest,
  GetMonitorResponse,
  InvalidParameterError,
  LimitQuery,
  ListMonitorsResponse,
  ListWebhooksResponse,
  MONITOR_EVENTS_API,
  MONITORS_API,
  MonitorEventsQuery,
  MonitorEventsResponse,
  MonitorResponse,
  MonitorResultsQuery,
  MonitorResultsResponse,
  MonitorWindowResponse,
  WebhookResponse,
} from '@ballast/contracts'
import { renderMonitorReportHtml } from '../../monitoring/index.js'
import { defineRoute, type AnyRoute } from '../route.js'
import {
  createMonitorInput,
  deliveryToWire,
  eventToWire,
  monitorToWire,
  resultToWire,
  webhookToWire,
  windowToWire,
} from './monitors-wire.js'

const name = (params: Record<string, string>) => params.name ?? ''

/** `latest`, or a window number from 1. */
function windowNumber(text: string | undefined): number | undefined {
  if (text === 'latest') return undefined
  const n = Number(text)
  if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidParameterError(
      `Invalid value for parameter 'window': ${JSON.stringify(text)}; expected a window number from 1 or 'latest'`,
    )
  }
  return n
}

/** Only the filters given, so that the service applies its defaults to the rest. */
function eventFilter(query: MonitorEventsQuery) {
  return {
    ...(query.deployment === undefined ? {} : { deployment: query.deployment }),
    ...(query.type === undefined ? {} : { type: query.type }),
    ...(query.after_id === undefined ? {} : { afterId: query.after_id }),
    ...(query.limit === undefined ? {} : { limit: query.limit }),
  }
}

/** Monitors on deployments: viewers read them and their results, editors change them. */
export const MONITORS_ROUTES: readonly AnyRoute[] = [
  /** 201 `{monitor}`. */
  defineRoute({
    method: 'POST',
    path: MONITORS_API,
    permission: 'editor',
    body: CreateMonitorRequest,
    response: MonitorResponse,
    handler: async ({ body, services, actor, c }) => {
      const monitor = await services.monitoring.monitors.create(
        createMonitorInput(body),
        actor.name,
      )
      return c.json({ monitor: monitorToWire(monitor) }, 201)
    },
  }),

  /** `{monitors}` by name. */
  defineRoute({
    method: 'GET',
    path: MONITORS_API,
    permission: 'viewer',
    response: ListMonitorsResponse,
    handler: async ({ services }) => ({
      monitors: (await services.monitoring.monitors.list()).map(monitorToWire),
    }),
  }),

  /** `{monitor, latest, due}`: the latest window's result and how many windows wait. */
  defineRoute({
    method: 'GET',
    path: `${MONITORS_API}/:name`,
    permission: 'viewer',
    response: GetMonitorResponse,
    handler: async ({ params, services }) => {
      const monitors = services.monitoring.monitors
      const monitor = await monitors.get(name(params))
      const [latest] = await monitors.results(monitor.name, { limit: 1 })
      const due = await monitors.dueWindows(monitor.name)
      return {
        monitor: monitorToWire(monitor),
        latest: latest === undefined ? null : resultToWire(latest),
        due,
      }
    },
  }),

  /** `{monitor}` as it was; its results, events, webhooks and pending deliveries go with it. */
  defineRoute({
    method: 'DELETE',
    path: `${MONITORS_API}/:name`,
    permission: 'editor',
    response: MonitorResponse,
    handler: async ({ params, services, actor }) => ({
      monitor: monitorToWire(await services.monitoring.monitors.delete(name(params), actor.name)),
    }),
  }),

  /** `{results}` ascending by window (`?after=` skips windows up to it, `?limit=` keeps the latest). */
  defineRoute({
    method: 'GET',
    path: `${MONITORS_API}/:name/results`,
    permission: 'viewer',
    query: MonitorResultsQuery,
    response: MonitorResultsResponse,
    handler: async ({ params, query, services }) => {
      const results = await services.monitoring.monitors.results(name(params), {
        ...(query.after === undefined ? {} : { after: query.after }),
        ...(query.limit === undefined ? {} : { limit: query.limit }),
      })
      return { results: results.map(resultToWire) }
    },
  }),

  /** `{result, drift}` of one window (or `latest`), with each column's distributions. */
  defineRoute({
    method: 'GET',
    path: `${MONITORS_API}/:name/windows/:window`,
    permission: 'viewer',
    response: MonitorWindowResponse,
    handler: async ({ params, services }) =>
      windowToWire(
        await services.monitoring.monitors.window(name(params), windowNumber(params.window)),
      ),
  }),

  /** One self-contained HTML page: the windows over time and the latest window's drift. */
  defineRoute({
    method: 'GET',
    path: `${MONITORS_API}/:name/report`,
    permission: 'viewer',
    query: LimitQuery,
    handler: async ({ params, query, services, c }) => {
      const monitors = services.monitoring.monitors
      const monitor = await monitors.get(name(params))
      const results = await monitors.results(monitor.name, {
        ...(query.limit === undefined ? {} : { limit: query.limit }),
      })
      const latest = results.length === 0 ? null : await monitors.window(monitor.name)
      const html = renderMonitorReportHtml({
        monitor,
        results,
        ...(latest?.drift == null ? {} : { latestDrift: latest.drift }),
        generatedAt: Date.now(),
      })
      return c.body(html, 200, { 'content-type': 'text/html; charset=utf-8' })
    },
  }),

  /** Evaluates the windows due now, in order; `{results}` of those it evaluated. */
  defineRoute({
    method: 'POST',
    path: `${MONITORS_API}/:name/evaluate`,
    permission: 'editor',
    body: EvaluateMonitorRequest,
    response: MonitorResultsResponse,
    handler: async ({ params, body, services, c }) => {
      const results = await services.monitoring.monitors.evaluate(name(params), {
        ...(body.max_windows === undefined ? {} : { maxWindows: body.max_windows }),
        signal: c.req.raw.signal,
      })
      return { results: results.map(resultToWire) }
    },
  }),

  /** `{events}` of one monitor, newest first. */
  defineRoute({
    method: 'GET',
    path: `${MONITORS_API}/:name/events`,
    permission: 'viewer',
    query: MonitorEventsQuery,
    response: MonitorEventsResponse,
    handler: async ({ params, query, services }) => {
      const monitors = services.monitoring.monitors
      const monitor = await monitors.get(name(params))
      const events = await monitors.events({ ...eventFilter(query), monitor: monitor.name })
      return { events: events.map(eventToWire) }
    },
  }),

  /** `{events}` of every monitor, newest first; poll with `?after_id=` the largest id seen. */
  defineRoute({
    method: 'GET',
    path: MONITOR_EVENTS_API,
    permission: 'viewer',
    query: MonitorEventsQuery,
    response: MonitorEventsResponse,
    handler: async ({ query, services }) => ({
      events: (await services.monitoring.monitors.events(eventFilter(query))).map(eventToWire),
    }),
  }),

  /** 201 `{webhook, secret}`: the only time the secret is shown. */
  defineRoute({
    method: 'POST',
    path: `${MONITORS_API}/:name/webhooks`,
    permission: 'editor',
    body: AddWebhookRequest,
    response: AddWebhookResponse,
    handler: async ({ params, body, services, actor, c }) => {
      const added = await services.monitoring.monitors.webhooks.add(
        name(params),
        { url: body.url, ...(body.secret === undefined ? {} : { secret: body.secret }) },
        actor.name,
      )
      return c.json({ webhook: webhookToWire(added.webhook), secret: added.secret }, 201)
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${MONITORS_API}/:name/webhooks`,
    permission: 'viewer',
    response: ListWebhooksResponse,
    handler: async ({ params, services }) => ({
      webhooks: (await services.monitoring.monitors.webhooks.list(name(params))).map(webhookToWire),
    }),
  }),

  /** `{webhook}` as it was; its pending deliveries are marked failed. */
  defineRoute({
    method: 'DELETE',
    path: `${MONITORS_API}/:name/webhooks/:id`,
    permission: 'editor',
    response: WebhookResponse,
    handler: async ({ params, services, actor }) => ({
      webhook: webhookToWire(
        await services.monitoring.monitors.webhooks.remove(
          name(params),
          params.id ?? '',
          actor.name,
        ),
      ),
    }),
  }),

  /** `{deliveries}` of the monitor's webhooks, newest first (`?limit=`). */
  defineRoute({
    method: 'GET',
    path: `${MONITORS_API}/:name/deliveries`,
    permission: 'viewer',
    query: LimitQuery,
    response: DeliveriesResponse,
    handler: async ({ params, query, services }) => ({
      deliveries: (
        await services.monitoring.monitors.webhooks.deliveries(name(params), {
          ...(query.limit === undefined ? {} : { limit: query.limit }),
        })
      ).map(deliveryToWire),
    }),
  }),
]
