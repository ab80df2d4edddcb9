{{/* Default routes: this release's services by their Service names (the umbrella's fixed names) and ports. */}}
{{- define "localhost-gateway.env" -}}
{{- $ns := .Release.Namespace -}}
- name: GATEWAY_ROUTES
  value: {{ default (printf "api=http://ark-api.%s:8000,mcp=http://ark-mcp.%s:2627,filesys=http://filesys-mcp.%s:9090,memory=http://postgres-memory.%s:8002,a2a=http://ark-api-a2a.%s:7184,dashboard=http://ark-dashboard.%s:3000" $ns $ns $ns $ns $ns $ns) .Values.routes | quote }}
{{- end }}
