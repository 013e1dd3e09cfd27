// The audit log: who did what to which row, when and from where. Every use case writes its
// row in its own transaction through `recordAudit`, with the one `Actor` type of the app.
export { type Actor, type ActorKind, systemActor, merchantOf, assertPlatformOperator } from './actor';
export { recordAudit, type AuditEntry } from './record';
export { listAudit, AUDIT_ACTIONS, type AuditFilters, type AuditListItem } from './read';
