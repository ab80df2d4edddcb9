{{/* A Gateway API HTTPRoute to the service, when httpRoute.enabled. */}}
{{- define "ark.httpRoute" -}}
{{- $r := .root.Values.httpRoute -}}
{{- if $r.enabled -}}
{{- if not $r.parentRefs }}
{{- fail "httpRoute.parentRefs is required when httpRoute.enabled (the Gateway to attach to)" }}
{{- end -}}
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: {{ include "ark.workloadName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "ark.labels" . | nindent 4 }}
  {{- with $r.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  parentRefs:
    {{- toYaml $r.parentRefs | nindent 4 }}
  {{- with $r.hostnames }}
  hostnames:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: {{ $r.path | quote }}
      backendRefs:
        - name: {{ include "ark.workloadName" . }}
          port: {{ .root.Values.service.port }}
{{- end }}
{{- end }}
