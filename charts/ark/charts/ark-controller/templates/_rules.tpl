{{/* Reconciler: watches what it reconciles, writes status and the Query finalizer, deletes expired Queries, keeps the Tools MCPServers discover, records Events. */}}
{{- define "ark-controller.reconcilerRules" -}}
- apiGroups: [ark.mckinsey.com]
  resources: [queries, agents, teams, models, tools, mcpservers, memories, referencegrants]
  verbs: [get, list, watch]
- apiGroups: [ark.mckinsey.com]
  resources: [queries]
  verbs: [patch, delete]
- apiGroups: [ark.mckinsey.com]
  resources: [tools]
  verbs: [create, update, delete]
- apiGroups: [ark.mckinsey.com]
  resources: [queries/status, agents/status, teams/status, models/status, tools/status, mcpservers/status, memories/status]
  verbs: [get, patch, update]
- apiGroups: [ark.mckinsey.com]
  resources: [queries/finalizers, mcpservers/finalizers]
  verbs: [update]
- apiGroups: [""]
  resources: [secrets, configmaps, services]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
{{- end }}

{{/* Leader election: the ark-controller Lease in the release namespace. */}}
{{- define "ark-controller.leaseRules" -}}
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [create]
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  resourceNames: [ark-controller]
  verbs: [get, update]
{{- end }}

{{/* Workers read what a query needs (fresh from the API) and write nothing: results go over NATS. */}}
{{- define "ark-controller.workerRules" -}}
- apiGroups: [ark.mckinsey.com]
  resources: [queries, agents, teams, models, tools, mcpservers, memories, executionengines, a2aservers, evaluators, referencegrants]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [secrets, configmaps, services]
  verbs: [get, list, watch]
{{- end }}
