export { API_KEY_LABEL, API_KEY_SECRET_PREFIX, API_KEY_SECRET_TYPE, ApiKeyStore, isApiKeySecret, type ApiKeyInfo, type KeySecret, type KeySecretsApi, type NewApiKey } from "./api-key-store.js";
export { authenticateOrError, createAuthenticator, registerAuthentication, type Authenticator } from "./authenticator.js";
export { authConfigShape, checkAuthConfig, type AuthConfig, type AuthMode } from "./config.js";
export { OIDC_ALLOWED_ALGORITHMS } from "./oidc.js";
export { ALL_NAMESPACES, canReadSecretsIn, canUseNamespace, principalOf, requireAllNamespaces, requireNamespace, requirePrincipalNamespace, visibleNamespaces, type Principal } from "./principal.js";
export { EVALUATOR_TOKEN_AUDIENCE, MEMORY_TOKEN_AUDIENCE, namespaceToken, verifyNamespaceToken } from "./namespace-token.js";
