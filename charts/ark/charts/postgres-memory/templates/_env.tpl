{{- define "postgres-memory.env" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ required "postgres-memory: database.secretName is required (a Secret with DATABASE_URL)" .Values.database.secretName }}
      key: {{ .Values.database.secretKey }}
- name: MEMORY_AUTH_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ required "postgres-memory: auth.secretName is required (a Secret with MEMORY_AUTH_SECRET, shared with the controller's workers)" .Values.auth.secretName }}
      key: {{ .Values.auth.secretKey }}
{{- end }}
