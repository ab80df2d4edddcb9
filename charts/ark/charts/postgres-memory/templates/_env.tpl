{{- define "postgres-memory.env" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ required "postgres-memory: database.secretName is required (a Secret with DATABASE_URL)" .Values.database.secretName }}
      key: {{ .Values.database.secretKey }}
{{- end }}
