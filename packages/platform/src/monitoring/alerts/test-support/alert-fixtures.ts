import { createServer } from 'node:http'
import type { IncomingHttpHeaders, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { MetadataStore } from '../../../storage/index.js'
import type { MonitorEvent, MonitorEventType } from '../../monitors/monitor-types.js'
import { deliveriesFor } from '../webhook-store.js'

/** A `monitors` row as the monitor service writes it, enough for webhooks to hang on. */
export async function insertMonitor(store: MetadataStore, name: string): Promise<void> {
  await store.db
    .insertInto('monitors')
    .values({
      name,
      deployment: `${name}-deployment`,
      every_kind: 'predictions',
      every_value: 1000,
      reference: 'training',
      options: '{}',
      cursor_time: 0,
      cursor_request_id: null,
      windows: 0,
      detector_state: null,
      created_by: 'alice',
      created_at: 1,
      updated_at: 1,
    })
    .execute()
}

/** Records an event and its deliveries in one transaction, as the monitor service does. */
export async function recordEvent(
  store: MetadataStore,
  monitor: string,
  input: {
    type?: MonitorEventType
    window?: number
    time?: number
    payload?: Record<string, unknown>
  },
  now: number,
): Promise<{ event: MonitorEvent; deliveries: number }> {
  return store.db.transaction().execute(async (trx) => {
    const fields = {
      monitor,
      deployment: `${monitor}-deployment`,
      type: input.type ?? 'drift_detected',
      window: input.window ?? 1,
      time: input.time ?? now,
      payload: input.payload ?? { driftShare: 0.75, columns: ['age', 'income'] },
    }
    const row = await trx
      .insertInto('monitor_events')
      .values({ ...fields, payload: JSON.stringify(fields.payload) })
      .returning('id')
      .executeTakeFirstOrThrow()
    const event: MonitorEvent = { id: Number(row.id), ...fields }
    return { event, deliveries: await deliveriesFor(trx, event, now) }
  })
}

export interface ReceivedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

/**
 * An HTTP receiver on 127.0.0.1. `answer` decides each response: a status, or 'hang' to hold the
 * request open until the server closes.
 */
export async function startReceiver(
  answer: (request: ReceivedRequest, index: number) => number | 'hang' = () => 200,
): Promise<{
  url: string
  requests: ReceivedRequest[]
  server: Server
  close: () => Promise<void>
}> {
  const requests: ReceivedRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(request)
      const status = answer(request, requests.length - 1)
      if (status === 'hang') return
      res.writeHead(status, { 'content-type': 'text/plain' })
      res.end(status >= 300 ? `status ${status} from the receiver` : 'ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks/ballast`,
    requests,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
