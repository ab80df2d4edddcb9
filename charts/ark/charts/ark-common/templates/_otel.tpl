{{/*
OpenTelemetry env for every service from global.otel (docs/architecture.md §9.1): the OTLP/HTTP endpoint (or Langfuse's
/api/public/otel when global.otel.langfuse.enabled), the headers from a Secret (Langfuse: Authorization=Basic
base64(public key:secret key)), protocol, sampler and ARK_TRACE_CONTENT. Nothing when no endpoint is configured.
*/}}
{{- define "ark.otelEndpoint" -}}
{{- $otel := default (dict) .Values.global.otel -}}
{{- $langfuse := default (dict) $otel.langfuse -}}
{{- if $otel.endpoint -}}
{{- $otel.endpoint -}}
{{- else if $langfuse.enabled -}}
{{- printf "%s/api/public/otel" (trimSuffix "/" (required "global.otel.langfuse.url is required when global.otel.langfuse.enabled" $langfuse.url)) -}}
{{- end -}}
{{- end }}

{{- define "ark.otelEnv" -}}
{{- $otel := default (dict) .Values.global.otel -}}
{{- $langfuse := default (dict) $otel.langfuse -}}
{{- $endpoint := include "ark.otelEndpoint" . -}}
{{- if $endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ $endpoint | quote }}
{{- $secret := default (dict) $otel.headersSecret }}
{{- if $secret.name }}
- name: OTEL_EXPORTER_OTLP_HEADERS
  valueFrom:
    secretKeyRef:
      name: {{ $secret.name }}
      key: {{ default "OTEL_EXPORTER_OTLP_HEADERS" $secret.key }}
{{- else if $langfuse.enabled }}
{{- fail "global.otel.headersSecret.name is required when global.otel.langfuse.enabled: a Secret whose key holds Authorization=Basic base64(public key:secret key)" }}
{{- end }}
{{- with $otel.protocol }}
- name: OTEL_EXPORTER_OTLP_PROTOCOL
  value: {{ . | quote }}
{{- end }}
{{- with $otel.sampler }}
- name: OTEL_TRACES_SAMPLER
  value: {{ . | quote }}
{{- end }}
{{- with $otel.samplerArg }}
- name: OTEL_TRACES_SAMPLER_ARG
  value: {{ . | toString | quote }}
{{- end }}
{{- with $otel.traceContent }}
- name: ARK_TRACE_CONTENT
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}
