// Calls to addresses a merchant chose (merchant webhooks, dynamic delivery, Telegram, Bark,
// payment gateways): checked URLs, connect-time address checks, deadlines and capped answers.
export { postOutbound, guardedFetch, validateOutboundUrl, outboundUrlSchema, OutboundError, type OutboundResponse } from './request';
export { isPublicAddress, embeddedIpv4 } from './addresses';
