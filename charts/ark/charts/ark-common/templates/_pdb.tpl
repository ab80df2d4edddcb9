{{- define "ark.pdb" -}}
{{- $p := .c.podDisruptionBudget -}}
{{- if $p.enabled -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "ark.workloadName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "ark.labels" . | nindent 4 }}
spec:
  {{- if $p.maxUnavailable }}
  maxUnavailable: {{ $p.maxUnavailable }}
  {{- else }}
  minAvailable: {{ default 1 $p.minAvailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "ark.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}
