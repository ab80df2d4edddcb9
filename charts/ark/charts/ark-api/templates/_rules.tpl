{{/* The rules of packages/types/src/rbac/service-rules.ts ("ark-api"). */}}

{{/* Cluster: ARK kinds, namespaces and Events for its callers, Services and ConfigMaps a Memory's address names; never Secrets. */}}
{{- define "ark-api.rules" -}}
- apiGroups: [ark.mckinsey.com]
  resources: [agents, teams, models, tools, queries, mcpservers, memories, evaluators, evaluations, executionengines, a2aservers, referencegrants, toolapprovalrequests, a2atasks]
  verbs: [get, list, create, update, delete]
- apiGroups: [ark.mckinsey.com]
  resources: [queries]
  verbs: [patch, watch]
- apiGroups: [ark.mckinsey.com]
  resources: [toolapprovalrequests/status]
  verbs: [update]
- apiGroups: [""]
  resources: [namespaces]
  verbs: [get, list]
- apiGroups: [""]
  resources: [events]
  verbs: [get, list]
- apiGroups: [""]
  resources: [services, configmaps]
  verbs: [get]
{{- if .Values.rbacCreateNamespaces }}
- apiGroups: [""]
  resources: [namespaces]
  verbs: [create]
{{- end }}
{{- end }}

{{/* The API-keys namespace (the release's): its key Secrets. */}}
{{- define "ark-api.keyRules" -}}
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, create, delete]
{{- end }}

{{/* Each of secretNamespaces: the Secrets its callers manage through /v1/namespaces/{ns}/secrets. */}}
{{- define "ark-api.secretRules" -}}
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, create, patch, delete]
{{- end }}
