{{/*
A service's Deployment. ctx adds to the names ctx: "env" (YAML list items, service-specific env),
"volumes" and "volumeMounts" (YAML list items), "arkHome" (default /tmp/ark, on the writable /tmp).
*/}}
{{- define "ark.deployment" -}}
{{- $root := .root -}}
{{- $c := .c -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "ark.workloadName" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "ark.labels" . | nindent 4 }}
spec:
  {{- if not $c.autoscaling.enabled }}
  replicas: {{ $c.replicaCount }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "ark.selectorLabels" . | nindent 6 }}
  {{- with $c.strategy }}
  strategy:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  template:
    metadata:
      labels:
        {{- include "ark.labels" . | nindent 8 }}
        {{- with $c.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $c.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "ark.serviceAccountName" . }}
      automountServiceAccountToken: {{ $c.serviceAccount.automountToken }}
      {{- with (default $root.Values.global.imagePullSecrets $root.Values.imagePullSecrets) }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: {{ $c.terminationGracePeriodSeconds }}
      containers:
        - name: {{ default $root.Chart.Name .component }}
          image: {{ include "ark.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          ports:
            - name: http
              containerPort: {{ $root.Values.port }}
              protocol: TCP
          env:
            - name: HOST
              value: "0.0.0.0"
            {{- if not (hasKey $c.config "ALLOWED_HOSTS") }}
            # DNS-rebinding guard: the Service's names, localhost (port-forward) and the HTTPRoute's hostnames.
            - name: ALLOWED_HOSTS
              value: {{ include "ark.allowedHosts" . | quote }}
            {{- end }}
            - name: PORT
              value: {{ $root.Values.port | quote }}
            - name: ARK_HOME
              value: {{ default "/tmp/ark" .arkHome | quote }}
            {{- with .env }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- with (include "ark.otelEnv" $root) }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- range $name, $value := $c.config }}
            - name: {{ $name }}
              value: {{ $value | toString | quote }}
            {{- end }}
            {{- with $c.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- with $c.envFrom }}
          envFrom:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          livenessProbe:
            {{- toYaml $c.livenessProbe | nindent 12 }}
          readinessProbe:
            {{- toYaml $c.readinessProbe | nindent 12 }}
          {{- with $c.startupProbe }}
          startupProbe:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          resources:
            {{- toYaml $c.resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- with .volumeMounts }}
            {{- . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
        {{- with .volumes }}
        {{- . | nindent 8 }}
        {{- end }}
      {{- with $c.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}

{{/* The Host names a service answers (ALLOWED_HOSTS): its Service's in-cluster names, localhost, its HTTPRoute's hostnames. */}}
{{- define "ark.allowedHosts" -}}
{{- $name := include "ark.fullname" .root -}}
{{- $ns := .root.Release.Namespace -}}
{{- printf "%s,%s.%s,%s.%s.svc,%s.%s.svc.cluster.local,localhost,*.localhost" $name $name $ns $name $ns $name $ns -}}
{{- with .c.httpRoute }}{{ if .enabled }}{{ range .hostnames }},{{ . }}{{ end }}{{ end }}{{ end -}}
{{- end }}
