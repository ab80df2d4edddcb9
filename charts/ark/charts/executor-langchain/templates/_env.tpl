{{- define "executor-langchain.env" -}}
- name: ENGINE_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ required "executor-langchain: auth.secretName is required (a Secret with ENGINE_TOKEN, shared with the controller's workers)" .Values.auth.secretName }}
      key: {{ .Values.auth.secretKey }}
{{- end }}
