{{- define "ark-apiserver.env" -}}
{{- with .Values.database.secretName -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.database.secretKey }}
{{- end }}
{{- end }}

{{- define "ark-apiserver.volumes" -}}
- name: data
{{- if .Values.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ default (include "ark.fullname" .) .Values.persistence.existingClaim }}
{{- else }}
  emptyDir: {}
{{- end }}
{{- end }}
