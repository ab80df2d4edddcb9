{{/* Lists what it exposes, creates and cancels (patches) Queries; nothing else. */}}
{{- define "ark-mcp.rules" -}}
- apiGroups: [ark.mckinsey.com]
  resources: [agents, teams, models, tools]
  verbs: [get, list]
- apiGroups: [ark.mckinsey.com]
  resources: [queries]
  verbs: [get, list, create, patch]
- apiGroups: [""]
  resources: [namespaces]
  verbs: [list]
{{- end }}
