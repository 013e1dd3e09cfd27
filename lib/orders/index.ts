// The order engine: create (price, reserve), incoming payment notifications (verify,
// record, deliver), expiry, reconciliation with providers, the buyer's and the merchant's
// reads, and the merchant's hand-made changes (deliver, resend, refund, review).
export { createOrder, createOrderSchema, newOrderNo, payUrlOf, LOCALES, type CreatedOrder, type CreateOrderInput } from './create';
export { quoteOrder, type OrderQuote } from './quote';
export { handlePaymentNotification, applyPayment, type PaymentOutcome, type PaymentNotificationReply } from './payment-notification';
export { expireOrders } from './expire';
export { leaveForManualPayment, listManualQueue, recordOfflinePayment, sendPaymentLink, switchPaymentChannel, type ManualQueueRow } from './manual-queue';
export { mismatchReport, type MismatchDay, type MismatchRow } from './mismatches';
export { paymentForOrder, type OrderPayment, type PaymentOptions } from './payment-attempt';
export { reconcilePayments, reconcileOrder, reconcileStats, type ReconcileResult, type ReconcileStats } from './reconcile';
export {
  getOrderForBuyer,
  getOrderStatus,
  orderTokenOpens,
  lookupOrder,
  lookupOrderAccess,
  listMerchantOrders,
  orderEventsOf,
  type BuyerOrderView,
  type MerchantOrderFilters,
  type MerchantOrderRow,
} from './read';
export { markPaidAndDeliver, completeDynamicDelivery, escalateToMerchant } from './fulfil';
export { reviewOrder, listReviewQueue, reviewDecisionSchema, type ReviewDecision, type ReviewOutcome, type ReviewQueueRow } from './review';
export { deliveredItems } from './delivered';
export {
  deliverManually,
  getMerchantOrder,
  orderLabels,
  parseOrderFilters,
  recordOrderExport,
  resendDeliveryMail,
  revealOrderItems,
  ORDER_STATUSES,
  REFUNDABLE,
  RESEND_INTERVAL_SECONDS,
  MAX_MANUAL_DELIVERY_CHARS,
  type MerchantOrderDetail,
  type OrderFilterValues,
} from './manage';

export type { Order, OrderStatus } from '@/db/schema';
export { refundOrder, refundNumber, resumeRefunds, type RefundInput, type RefundOutcome, type RefundKeys, type RefundResult } from './refund';
