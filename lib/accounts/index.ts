// Accounts: merchants (opening a shop, the default shop at `/`), platform admins, console
// sign-in with lockout, sessions and passwords, shop settings, and platform administration.
export {
  createMerchant,
  createAdmin,
  getDefaultMerchant,
  setDefaultMerchant,
  getMerchant,
  orderExpiryMinutes,
  manualQueueHours,
  DEFAULT_ORDER_EXPIRY_MINUTES,
  minChargeOf,
  DEFAULT_MIN_CHARGE,
} from './merchants';
export {
  verifyLogin,
  sessionUser,
  changePassword,
  signOutEverywhere,
  actorForUser,
  MAX_FAILED_LOGINS,
  LOCKOUT_MINUTES,
  type SessionUser,
  type LoginResult,
} from './login';
export { updateMerchantSettings, merchantSettingsSchema, type MerchantSettingsInput } from './settings';
export { listMerchants, setMerchantStatus, chooseDefaultMerchant, createAgentUser, type MerchantListRow } from './admin';
export type { Merchant, MerchantSettings } from '@/db/schema';
