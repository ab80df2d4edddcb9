{{/* The rules of packages/types/src/rbac/service-rules.ts ("ark-api-a2a"): watches Agents and Teams, creates and cancels (patches) Queries, answers ToolApprovalRequests. */}}
{{- define "ark-api-a2a.rules" -}}
- apiGroups: [ark.mckinsey.com]
  resources: [agents, teams]
  verbs: [get, list, watch]
- apiGroups: [ark.mckinsey.com]
  resources: [queries]
  verbs: [get, create, patch]
- apiGroups: [ark.mckinsey.com]
  resources: [toolapprovalrequests]
  verbs: [get, list]
- apiGroups: [ark.mckinsey.com]
  resources: [toolapprovalrequests/status]
  verbs: [update]
{{- end }}

{{/* The release namespace: reads ark-api's key Secrets to check its callers' API keys. */}}
{{- define "ark-api-a2a.keyRules" -}}
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
{{- end }}
