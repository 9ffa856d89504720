export {
  ANONYMOUS_ADMIN,
  ANONYMOUS_VISITOR,
  ROLES,
  roleAtLeast,
  systemActor,
  type Actor,
  type Role,
} from './actor.js'
export {
  TOKEN_PREFIX,
  createTokenService,
  hashToken,
  type CreatedToken,
  type TokenInfo,
  type TokenService,
  type TokenServiceOptions,
} from './token-service.js'
export {
  GENESIS_HASH,
  UNATTRIBUTED_ACTOR,
  appendAudit,
  canonicalJson,
  entryHash,
  stateDigest,
  type AuditEntry,
  type AuditInput,
} from './audit/audit-log.js'
export { entryFromRow, verifyAudit, type AuditVerification } from './audit/verify-audit.js'
export { MAX_AUDIT_LIMIT, listAudit, type AuditFilter } from './audit/audit-query.js'
