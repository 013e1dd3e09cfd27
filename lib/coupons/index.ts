// Coupons: their terms and the one judgement of whether a code applies and what it takes off,
// a use's life (reserved with the order, committed at payment, released once at expiry),
// the merchant's codes and batches, and their report.
export { couponTermsSchema, judgeCoupon, normaliseCode, type CouponCheck, type CouponTerms, type CouponVerdict } from './terms';
export { CODE_ALPHABET, GENERATED_CODE_LENGTH, MAX_BATCH, randomCode } from './codes';
export {
  applyCoupon,
  checkEmailUses,
  commitCouponUse,
  couponError,
  couponRefusal,
  findCoupon,
  judgeFound,
  redemptionOf,
  releaseCouponUses,
  returnCouponUse,
  couponUseQuery,
  usesByEmail,
  type AppliedCoupon,
  type CouponCommit,
} from './redeem';
export {
  createCoupons,
  createCouponsSchema,
  patchCoupon,
  recordCouponExport,
  setCouponsEnabled,
  updateCouponTerms,
  type CreateCouponsInput,
  type CreatedCoupons,
  type CouponTarget,
} from './manage';
export {
  couponOfOrder,
  couponsForExport,
  getBatch,
  getCoupon,
  listBatches,
  listCoupons,
  redemptionsForExport,
  type BatchRow,
  type CouponDetail,
  type CouponListRow,
  type CouponReport,
  type CouponState,
  type RedemptionExportRow,
  type RedemptionRow,
} from './read';
export type { Coupon, CouponBatch, CouponRedemption } from '@/db/schema';
