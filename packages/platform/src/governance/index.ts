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
