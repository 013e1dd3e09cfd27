// Dynamic delivery: a product whose keys come from the merchant's own URL, asked after the
// payment commits (outbox consumer `delivery.dynamic`). Not a merchant webhook: those only
// tell the merchant about events (lib/webhooks); this one returns the buyer's keys.
export { deliveryConsumers, DELIVERY_ATTEMPTS, DELIVERY_TIMEOUT_MS, type DeliveryRequest } from './delivery';
