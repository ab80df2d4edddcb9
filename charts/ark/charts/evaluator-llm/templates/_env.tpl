{{- define "evaluator-llm.env" -}}
- name: NATS_URL
  value: {{ include "ark.natsUrl" . | quote }}
- name: EVALUATOR_AUTH_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ required "evaluator-llm: auth.secretName is required (a Secret with EVALUATOR_AUTH_SECRET, shared with ark-controller)" .Values.auth.secretName }}
      key: {{ .Values.auth.secretKey }}
{{- end }}
