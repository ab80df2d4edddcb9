{{/* A ClusterRole with ctx.rules (YAML list items) bound to the workload's ServiceAccount; ARK resources live in any namespace. */}}
{{- define "ark.clusterRbac" -}}
{{- if .root.Values.rbac.create -}}
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ include "ark.clusterName" . }}
  labels:
    {{- include "ark.labels" . | nindent 4 }}
rules:
  {{- .rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ include "ark.clusterName" . }}
  labels:
    {{- include "ark.labels" . | nindent 4 }}
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

{{/* A Role with ctx.rules in ctx.namespace (default: the release's), bound to the workload's ServiceAccount. */}}
{{- define "ark.namespacedRbac" -}}
{{- if .root.Values.rbac.create -}}
{{- $ns := default .root.Release.Namespace .namespace -}}
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ include "ark.workloadName" . }}
  namespace: {{ $ns }}
  labels:
    {{- include "ark.labels" . | nindent 4 }}
rules:
  {{- .rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ include "ark.workloadName" . }}
  namespace: {{ $ns }}
  labels:
    {{- include "ark.labels" . | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ include "ark.workloadName" . }}
subjects:
  - kind: ServiceAccount
    name: {{ include "ark.serviceAccountName" . }}
    namespace: {{ .root.Release.Namespace }}
{{- end }}
{{- end }}
