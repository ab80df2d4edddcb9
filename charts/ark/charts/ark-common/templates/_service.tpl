{{/* The service's Service; ctx.component empty selects every workload of the chart. */}}
{{- define "ark.service" -}}
{{- $svc := .root.Values.service -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "ark.workloadName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "ark.labels" . | nindent 4 }}
  {{- with $svc.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $svc.type }}
  selector:
    {{- include "ark.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ $svc.port }}
      targetPort: http
      protocol: TCP
{{- end }}
