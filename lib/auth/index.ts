// Credentials: password hashing (argon2id) and the merchant API's keys (hashed, scoped,
// created and revoked as audited use cases).
export { hashPassword, verifyPassword } from './passwords';
export {
  API_SCOPES,
  AGENT_SCOPE,
  issueApiKey,
  apiKeyActor,
  authenticateApiKey,
  createApiKey,
  listApiKeys,
  requireScope,
  revokeApiKey,
  type ApiKeyListItem,
  type ApiPrincipal,
  type ApiScope,
} from './api-keys';
