{{/* The rules of packages/types/src/rbac/service-rules.ts ("ark-mcp"): lists what it exposes, creates and cancels (patches) Queries, decides ToolApprovalRequests. */}}
{{- define "ark-mcp.rules" -}}
- apiGroups: [ark.mckinsey.com]
  resources: [agents]
  verbs: [get, list]
- apiGroups: [ark.mckinsey.com]
  resources: [teams, models]
  verbs: [list]
- apiGroups: [ark.mckinsey.com]
  resources: [queries]
  verbs: [get, create, patch]
- apiGroups: [ark.mckinsey.com]
  resources: [toolapprovalrequests]
  verbs: [get, list]
- apiGroups: [ark.mckinsey.com]
  resources: [toolapprovalrequests/status]
  verbs: [update]
- apiGroups: [""]
  resources: [namespaces]
  verbs: [list]
{{- end }}

{{/* The release namespace: reads ark-api's key Secrets to check its callers' API keys. */}}
{{- define "ark-mcp.keyRules" -}}
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
{{- end }}
