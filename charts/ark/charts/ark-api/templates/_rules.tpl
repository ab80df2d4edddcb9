{{/* The API does for its callers what they may do: CRUD on ARK kinds, API-key and user Secrets, namespaces and events read. */}}
{{- define "ark-api.rules" -}}
- apiGroups: [ark.mckinsey.com]
  resources: [agents, teams, models, tools, queries, mcpservers, memories, evaluators, evaluations, executionengines, a2aservers, referencegrants]
  verbs: [get, list, create, update, patch, delete]
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, create, patch, delete]
- apiGroups: [""]
  resources: [namespaces]
  verbs: [get, list{{ if .Values.rbacCreateNamespaces }}, create{{ end }}]
- apiGroups: [""]
  resources: [events]
  verbs: [get, list]
{{- end }}
