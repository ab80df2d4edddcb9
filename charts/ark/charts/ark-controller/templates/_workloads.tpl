{{/* The two roles of the one image; each gets its own ServiceAccount and permissions. */}}
{{- define "ark-controller.reconcilerEnv" -}}
- name: ARK_CONTROLLER_ROLES
  value: reconciler
- name: NATS_URL
  value: {{ include "ark.natsUrl" . | quote }}
- name: LEADER_ELECTION
  value: "true"
- name: LEADER_ELECTION_NAMESPACE
  value: {{ .Release.Namespace | quote }}
- name: EVALUATOR_AUTH_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.evaluatorAuth.secretName }}
      key: {{ .Values.evaluatorAuth.secretKey }}
      optional: true
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- end }}

{{- define "ark-controller.workerEnv" -}}
- name: ARK_CONTROLLER_ROLES
  value: worker
- name: NATS_URL
  value: {{ include "ark.natsUrl" . | quote }}
- name: MEMORY_AUTH_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.memoryAuth.secretName }}
      key: {{ .Values.memoryAuth.secretKey }}
      optional: true
- name: ENGINE_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .Values.engineAuth.secretName }}
      key: {{ .Values.engineAuth.secretKey }}
      optional: true
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- end }}
