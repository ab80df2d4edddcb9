{{- define "ark.serviceAccount" -}}
{{- if .c.serviceAccount.create -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "ark.serviceAccountName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "ark.labels" . | nindent 4 }}
  {{- with .c.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ .c.serviceAccount.automountToken }}
{{- end }}
{{- end }}
