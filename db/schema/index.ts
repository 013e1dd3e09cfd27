// The whole schema, one file per bounded context.
export * from './accounts';
export * from './catalog';
export * from './inventory';
export * from './orders';
export * from './payments';
export * from './outbox';
export * from './agents';
export * from './webhooks';
export * from './coupons';
export * from './risk';
export * from './agent-money';
