// Payment channels: the channel interface and its drivers (one file each under channels/),
// the engine's side (checkout: which channel takes an order, the pay page's action) and the
// merchant's side (console: configured channels, credentials sealed at rest).
export { ProviderError, PAYMENT_METHODS } from './channel';
export type {
  AttemptRef,
  ChannelDriver,
  PaymentMethod,
  ProviderRefund,
  StartedPayment,
  ConfigField,
  ConnectionTest,
  NotificationInput,
  NotificationResult,
  PaymentAction,
  PaymentActionType,
  QueriedPayment,
  VerifiedNotification,
} from './channel';
export { channelKinds, driverInfo, findDriver, getDriver, type DriverInfo } from './registry';
export {
  channelForOrder,
  channelRefusal,
  onePerMethod,
  isUsable,
  listStoreChannels,
  loadChannel,
  notifyUrlFor,
  openChannel,
  sameMethodChannels,
  type LoadedChannel,
  type StoreChannel,
} from './checkout';
export {
  channelInputErrors,
  createChannel,
  getMerchantChannel,
  listMerchantChannels,
  secretHint,
  setChannelEnabled,
  testChannel,
  updateChannel,
  type ChannelSettings,
  type ChannelSummary,
  type ConfigFieldHint,
  type CreateChannelInput,
  type UpdateChannelInput,
} from './console';
export { demoNotification } from './channels/demo';
export { epaySign, EPAY_TYPES } from './channels/epay';
export { inRollout, rolloutBucket } from './rollout';
export { reviewRollouts, rolloutFigures, ROLLBACK, type RolloutFigures } from './rollout-review';
export { admitCall, recordCall, releaseProbe, healthOf, BREAKER, type Admission, type ChannelHealthView, type CircuitState } from './health';
export { alipaySignContent, rsaSign, rsaVerify, ALIPAY_GATEWAY } from './channels/alipay';
