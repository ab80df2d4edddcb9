{{- define "ark-api-a2a.env" -}}
- name: NATS_URL
  value: {{ include "ark.natsUrl" . | quote }}
{{- /* Callers authenticate with ark-api's keys, kept in the release namespace as ark-api's chart sets. */}}
- name: ARK_API_KEYS_NAMESPACE
  value: {{ .Release.Namespace | quote }}
- name: ARK_A2A_NAMESPACES
  value: {{ default .Release.Namespace .Values.namespaces | quote }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ required "ark-api-a2a: database.secretName is required (a Secret with DATABASE_URL)" .Values.database.secretName }}
      key: {{ .Values.database.secretKey }}
{{- end }}
