import type { KubeConfig } from "@kubernetes/client-node";

/** The user name Kubernetes gives a ServiceAccount: `system:serviceaccount:<namespace>:<name>`. */
export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/**
 * `kc` acting as `user`: every call carries `Impersonate-User` (client-node's kubeconfig `as:`), authenticated with
 * `kc`'s own credentials, so the API authorizes it as `user`. It shares `kc`'s connections (withKeepAlive's agents);
 * client-node reads the current user on each call, which is what this overrides.
 */
export function impersonating(kc: KubeConfig, user: string): KubeConfig {
  const impersonated = Object.create(kc) as KubeConfig;
  impersonated.getCurrentUser = () => {
    const current = kc.getCurrentUser();
    return current && { ...current, impersonateUser: user };
  };
  return impersonated;
}
