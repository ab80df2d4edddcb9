/** Who a request is made as, after authentication and impersonation (Kubernetes' user.Info). */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** The bootstrap admin token's user: a person with the kubeconfig ark-apiserver writes. */
const ADMIN_USERNAME = "ark-admin";
/** Members may do everything, whatever RBAC says (as in Kubernetes). */
export const SYSTEM_MASTERS = "system:masters";
export const AUTHENTICATED = "system:authenticated";
export const UNAUTHENTICATED = "system:unauthenticated";
const SERVICE_ACCOUNTS = "system:serviceaccounts";
const SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

export const adminUser = (): UserInfo => ({ username: ADMIN_USERNAME, groups: [SYSTEM_MASTERS, AUTHENTICATED] });

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;
}

/** The groups every ServiceAccount of `namespace` is in. */
export function serviceAccountGroups(namespace: string): string[] {
  return [SERVICE_ACCOUNTS, `${SERVICE_ACCOUNTS}:${namespace}`];
}

export function serviceAccountUser(namespace: string, name: string, uid?: string): UserInfo {
  return {
    username: serviceAccountUsername(namespace, name),
    ...(uid ? { uid } : {}),
    groups: [...serviceAccountGroups(namespace), AUTHENTICATED],
  };
}

/** `system:serviceaccount:<ns>:<name>` → its parts; undefined for any other username. */
export function parseServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(":");
  if (parts.length !== 2 || parts[0] === "" || parts[1] === "") return undefined;
  return { namespace: parts[0]!, name: parts[1]! };
}
