// Merchant webhooks: a merchant's own endpoints (signed HTTP, Telegram, Bark) that hear of
// its shop's events after commit, through the outbox. Outgoing notifications to merchants;
// incoming payment notifications are lib/orders', buyer e-mails lib/mail's.
export {
  createEndpoint,
  listEndpoints,
  setEndpointEnabled,
  setEndpointEvents,
  deleteEndpoint,
  sendTestEvent,
  listDeliveries,
  WEBHOOK_TOPICS,
  DEFAULT_PUSH_TOPICS,
  type EndpointInput,
  type EndpointView,
  type DeliveryView,
  type WebhookTopic,
} from './endpoints';
export { webhookConsumers } from './send';
