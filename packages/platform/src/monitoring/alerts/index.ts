export {
  addWebhook,
  deliveriesFor,
  listDeliveries,
  listWebhooks,
  removeWebhook,
  type AddWebhookOptions,
} from './webhook-store.js'
export {
  WebhookDispatcher,
  WEBHOOK_BATCH,
  WEBHOOK_LEASE_MARGIN_MS,
  type WebhookDispatcherOptions,
} from './webhook-dispatcher.js'
export {
  DEFAULT_SIGNATURE_TOLERANCE_MS,
  WEBHOOK_HEADERS,
  signWebhook,
  verifyWebhookSignature,
} from './webhook-signature.js'
export {
  WebhookHostUnresolvedError,
  checkWebhookUrl,
  type CheckedUrl,
  type LookupFn,
  type ResolvedAddress,
} from './webhook-url.js'
export { webhookBackoffMs } from './webhook-backoff.js'
