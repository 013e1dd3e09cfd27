// The order engine: create (price, reserve), pay (verify, record, deliver), expire,
// reconcile, and the buyer's and merchant's reads. Plain server functions over a db handle.
export { createOrder, createOrderSchema, newOrderNo, payUrlOf, LOCALES, type CreatedOrder, type CreateOrderInput } from './create';
export { handleNotification, applyPayment, type NotificationOutcome, type NotificationResponse } from './notify';
export { expireOrders } from './expire';
export { reconcilePayments, reconcileStats, type ReconcileResult, type ReconcileStats } from './reconcile';
export { getOrderForBuyer, getOrderStatus, lookupOrder, lookupOrderAccess, listMerchantOrders, orderEventsOf, type BuyerOrderView } from './read';
export { markPaidAndDeliver } from './fulfil';
export { deliveredItems } from './delivered';
export {
  deliverManually,
  getMerchantOrder,
  orderLabels,
  parseOrderFilters,
  recordOrderExport,
  refundOrder,
  resendDeliveryMail,
  revealOrderItems,
  ORDER_STATUSES,
  REFUNDABLE,
  RESEND_INTERVAL_SECONDS,
  MAX_MANUAL_DELIVERY_CHARS,
  type MerchantOrderDetail,
  type OrderFilterValues,
  type RefundResult,
} from './manage';
export { type MerchantOrderFilters, type MerchantOrderRow } from './read';
export { csvCell, csvRow } from './csv';
