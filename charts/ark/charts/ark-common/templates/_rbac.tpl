{{/*
RBAC rules are those of packages/types/src/rbac/service-rules.ts (e2e/helm/service-rules.test.ts renders the chart and
compares); each Role and ClusterRole says its scope there in the label ark.mckinsey.com/rbac-scope.
A ClusterRole with ctx.rules (YAML list items) bound to the workload's ServiceAccount; ARK resources live in any namespace.
*/}}
{{- define "ark.clusterRbac" -}}
{{- if .root.Values.rbac.create -}}
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ include "ark.clusterName" . }}
  labels:
    {{- include "ark.labels" . | nindent 4 }}
    ark.mckinsey.com/rbac-scope: cluster
rules:
  {{- .rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ include "ark.clusterName" . }}
  labels:
    {{- include "ark.labels" . | nindent 4 }}
    ark.mckinsey.com/rbac-scope: cluster
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ include "ark.clusterName" . }}
subjects:
  - kind: ServiceAccount
    name: {{ include "ark.serviceAccountName" . }}
    namespace: {{ .root.Release.Namespace }}
{{- end }}
{{- end }}

{{/*
A Role with ctx.rules in ctx.namespace (default: the release's), bound to the workload's ServiceAccount; ctx.scope is
the rules' scope in service-rules.ts (default own-namespace), ctx.roleName the Role's name (default the workload's).
*/}}
{{- define "ark.namespacedRbac" -}}
{{- if .root.Values.rbac.create -}}
{{- $ns := default .root.Release.Namespace .namespace -}}
{{- $name := default (include "ark.workloadName" .) .roleName -}}
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $name }}
  namespace: {{ $ns }}
  labels:
    {{- include "ark.labels" . | nindent 4 }}
    ark.mckinsey.com/rbac-scope: {{ default "own-namespace" .scope }}
rules:
  {{- .rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $name }}
  namespace: {{ $ns }}
  labels:
    {{- include "ark.labels" . | nindent 4 }}
    ark.mckinsey.com/rbac-scope: {{ default "own-namespace" .scope }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ $name }}
subjects:
  - kind: ServiceAccount
    name: {{ include "ark.serviceAccountName" . }}
    namespace: {{ .root.Release.Namespace }}
{{- end }}
{{- end }}
