{{- define "ark-dashboard.env" -}}
- name: ARK_API_URL
  value: {{ default (printf "http://ark-api.%s:8000" .Release.Namespace) .Values.arkApiUrl | quote }}
{{- end }}
