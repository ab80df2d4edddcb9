{{/*
A workload's NetworkPolicy, when global.networkPolicy.enabled (the umbrella adds the default deny and DNS).
ctx adds to the names ctx:
  "port"  the container port ingress is allowed to;
  "from"  a list of peers allowed in: (dict "name" <chart> "component" <role or "">) for ARK workloads of this
          release, "public" for global.networkPolicy.publicFrom (empty: anyone), "apiClients" for
          global.networkPolicy.apiClientsFrom (empty: anyone);
  "to"    a list of flows allowed out: "kubernetes-api", "nats", "postgres", "ark" (this release's ARK pods, whose
          own policies decide what they accept), "external" (models, tools, MCP and A2A servers: global.networkPolicy.externalEgress).
With global.otel on, every workload may also reach global.networkPolicy.otel (the OTLP collector or Langfuse).
<service>.networkPolicy.extraIngress / extraEgress (NetworkPolicy rules) are appended.
*/}}
{{- define "ark.networkPolicy" -}}
{{- $np := default (dict) .root.Values.global.networkPolicy -}}
{{- if $np.enabled -}}
{{- $ingress := include "ark.networkPolicyIngress" . -}}
{{- $egress := include "ark.networkPolicyEgress" . -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "ark.workloadName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "ark.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "ark.selectorLabels" . | nindent 6 }}
  policyTypes: [Ingress, Egress]
  {{- if $ingress }}
  ingress:
    {{- $ingress | nindent 4 }}
  {{- else }}
  ingress: []
  {{- end }}
  {{- if $egress }}
  egress:
    {{- $egress | nindent 4 }}
  {{- else }}
  egress: []
  {{- end }}
{{- end }}
{{- end }}

{{- define "ark.networkPolicyIngress" -}}
{{- $root := .root -}}
{{- $np := default (dict) $root.Values.global.networkPolicy -}}
{{- $own := default (dict) $root.Values.networkPolicy -}}
{{- range .from }}
{{- if eq (toString .) "public" }}
- ports:
    - port: {{ $.port }}
      protocol: TCP
  {{- with $np.publicFrom }}
  from:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- else if eq (toString .) "apiClients" }}
- ports:
    - port: {{ $.port }}
      protocol: TCP
  {{- with $np.apiClientsFrom }}
  from:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- else }}
- ports:
    - port: {{ $.port }}
      protocol: TCP
  from:
    - podSelector:
        matchLabels:
          app.kubernetes.io/name: {{ .name }}
          app.kubernetes.io/instance: {{ $root.Release.Name }}
          {{- with .component }}
          app.kubernetes.io/component: {{ . }}
          {{- end }}
{{- end }}
{{- end }}
{{- with $np.metricsFrom }}
- ports:
    - port: {{ $.port }}
      protocol: TCP
  from:
    {{- toYaml . | nindent 4 }}
{{- end }}
{{- with $own.extraIngress }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "ark.networkPolicyEgress" -}}
{{- $root := .root -}}
{{- $np := default (dict) $root.Values.global.networkPolicy -}}
{{- $own := default (dict) $root.Values.networkPolicy -}}
{{- range .to }}
{{- if eq . "kubernetes-api" }}
- ports:
    {{- range $np.kubernetesApi.ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
  {{- with $np.kubernetesApi.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- else if eq . "nats" }}
- ports:
    - port: {{ $np.nats.port }}
      protocol: TCP
  {{- with $np.nats.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- else if eq . "postgres" }}
- ports:
    - port: {{ $np.postgres.port }}
      protocol: TCP
  {{- with $np.postgres.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- else if eq . "ark" }}
- to:
    - podSelector:
        matchLabels:
          app.kubernetes.io/part-of: ark
          app.kubernetes.io/instance: {{ $root.Release.Name }}
{{- else if eq . "external" }}
- to:
    {{- toYaml $np.externalEgress.to | nindent 4 }}
{{- else }}
{{- fail (printf "ark.networkPolicy: unknown flow %s" .) }}
{{- end }}
{{- end }}
{{- if include "ark.otelEndpoint" $root }}
{{- $otelNp := default (dict) $np.otel }}
- ports:
    {{- range $otelNp.ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
  {{- with $otelNp.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- with $own.extraEgress }}
{{ toYaml . }}
{{- end }}
{{- end }}
