{{/* The rules of packages/types/src/rbac/service-rules.ts ("ark-controller-reconciler", "ark-controller-worker"). */}}

{{/*
Reconciler, cluster: informers on what it reconciles and on the Secrets, ConfigMaps and Services values come from
(tenants' model keys live in their own namespaces, so Secrets are read in all of them, never written); status patches;
the Query finalizer and TTL delete; the Tools an MCPServer's discovery owns and the Agents an A2AServer's keeps; the
Evaluations an Evaluator's selector and a batch make, and a dataset's Queries, owned by their Evaluation; Events.
*/}}
{{- define "ark-controller.reconcilerRules" -}}
- apiGroups: [ark.mckinsey.com]
  resources: [queries, agents, teams, models, tools, mcpservers, memories, executionengines, a2aservers, referencegrants]
  verbs: [get, list, watch]
- apiGroups: [ark.mckinsey.com]
  resources: [queries]
  verbs: [patch, delete]
- apiGroups: [ark.mckinsey.com]
  resources: [tools]
  verbs: [create, update, delete]
- apiGroups: [ark.mckinsey.com]
  resources: [queries/status, agents/status, teams/status, models/status, tools/status, mcpservers/status, memories/status, executionengines/status, a2aservers/status]
  verbs: [patch]
- apiGroups: [ark.mckinsey.com]
  resources: [mcpservers/finalizers]
  verbs: [update]
- apiGroups: [ark.mckinsey.com]
  resources: [evaluators, evaluations]
  verbs: [get, list, watch]
- apiGroups: [ark.mckinsey.com]
  resources: [evaluations]
  verbs: [create, patch, delete]
- apiGroups: [ark.mckinsey.com]
  resources: [queries]
  verbs: [create]
- apiGroups: [ark.mckinsey.com]
  resources: [evaluators/status, evaluations/status]
  verbs: [patch]
- apiGroups: [ark.mckinsey.com]
  resources: [evaluations/finalizers]
  verbs: [update]
- apiGroups: [ark.mckinsey.com]
  resources: [agents]
  verbs: [create, update, delete]
- apiGroups: [ark.mckinsey.com]
  resources: [a2aservers/finalizers]
  verbs: [update]
- apiGroups: [ark.mckinsey.com]
  resources: [toolapprovalrequests]
  verbs: [get, list, watch]
- apiGroups: [ark.mckinsey.com]
  resources: [toolapprovalrequests/status]
  verbs: [patch]
- apiGroups: [""]
  resources: [secrets, configmaps, services]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
{{- end }}

{{/* Reconciler, own namespace: leader election on the ark-controller Lease. */}}
{{- define "ark-controller.leaseRules" -}}
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [create]
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  resourceNames: [ark-controller]
  verbs: [get, update]
{{- end }}

{{/* Workers read the Query they run and what it refers to (informer caches), create the ToolApprovalRequest a run pauses on and read it to resume, and keep an A2ATask per remote A2A task a run starts; results go over NATS. */}}
{{- define "ark-controller.workerRules" -}}
- apiGroups: [ark.mckinsey.com]
  resources: [queries]
  verbs: [get]
- apiGroups: [ark.mckinsey.com]
  resources: [agents, teams, models, tools, mcpservers, memories, executionengines, a2aservers, referencegrants]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [secrets, configmaps, services]
  verbs: [get, list, watch]
- apiGroups: [ark.mckinsey.com]
  resources: [toolapprovalrequests]
  verbs: [get, create]
- apiGroups: [ark.mckinsey.com]
  resources: [a2atasks]
  verbs: [get, create]
- apiGroups: [ark.mckinsey.com]
  resources: [a2atasks/status]
  verbs: [patch]
{{- end }}
