{{- define "ark-dashboard.env" -}}
- name: ARK_API_URL
  value: {{ default (printf "http://ark-api.%s:8000" .Release.Namespace) .Values.arkApiUrl | quote }}
{{- with .Values.oidc }}
{{- if .issuer }}
- name: OIDC_ISSUER
  value: {{ .issuer | quote }}
- name: OIDC_CLIENT_ID
  value: {{ required "ark-dashboard: oidc.clientId is required with oidc.issuer (the dashboard's public OIDC client)" .clientId | quote }}
{{- if .scope }}
- name: OIDC_SCOPE
  value: {{ .scope | quote }}
{{- end }}
{{- if .token }}
- name: OIDC_TOKEN
  value: {{ .token | quote }}
{{- end }}
{{- else if or .clientId .scope .token }}
{{- fail "ark-dashboard: oidc.issuer is required with oidc.clientId, scope or token" }}
{{- end }}
{{- end }}
{{- end }}
