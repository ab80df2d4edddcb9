{{/* The rules of packages/types/src/rbac/service-rules.ts ("evaluator-llm"): the judge Model and its value sources, the Queries it evaluates. */}}
{{- define "evaluator-llm.rules" -}}
- apiGroups: [ark.mckinsey.com]
  resources: [models, queries]
  verbs: [get]
- apiGroups: [""]
  resources: [secrets, configmaps, services]
  verbs: [get]
{{- end }}
