// The outbox: side effects written in the transaction that causes them and handled after
// commit by named consumers (e-mail, merchant webhooks, dynamic delivery), with leases,
// retries and dead-lettering; and the merchant's view of its rows.
export {
  enqueue,
  enqueueFor,
  claimBatch,
  drainOutbox,
  drainRows,
  backoffSeconds,
  outboxLagSeconds,
  subscriptions,
  type OutboxEvent,
  type ClaimedRow,
  type Consumer,
  type DrainOptions,
  type DrainResult,
} from './queue';
export { trackOutbox } from './follow-up';
export { listOutbox, retryOutboxRow, merchantOutboxStats, OUTBOX_STATUSES, type OutboxStatus, type OutboxListItem, type MerchantOutboxStats } from './console';
