export { ensureServingCertificates, type ServingCertificates } from "./certificates.js";
export { writeKubeconfig } from "./kubeconfig.js";
