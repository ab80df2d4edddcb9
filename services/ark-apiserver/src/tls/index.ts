export { ensureServingCertificates, type ServingCertificates } from "./certificates.js";
export { renderKubeconfig, writeKubeconfig, type KubeconfigOptions } from "./kubeconfig.js";
