{{/*
Standard helpers: name, fullname, chart label, common labels, selector labels, service account name.
*/}}

{{/* The chart's name, or nameOverride. */}}
{{- define "modelward.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Object name prefix: fullnameOverride, else release name and chart name (once if one contains the other). */}}
{{- define "modelward.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* chart-version, for the helm.sh/chart label. */}}
{{- define "modelward.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "modelward.labels" -}}
helm.sh/chart: {{ include "modelward.chart" . }}
{{ include "modelward.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: modelward
{{- end }}

{{/* Labels that select the portal's pods. */}}
{{- define "modelward.selectorLabels" -}}
app.kubernetes.io/name: {{ include "modelward.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: portal
{{- end }}

{{/* The portal's ServiceAccount. */}}
{{- define "modelward.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "modelward.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* An image reference: repository and tag, the tag defaulting to the chart's appVersion. */}}
{{- define "modelward.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) }}
{{- end }}

{{/* Where runtime pods fetch approved artifacts: the value, else this release's Service. */}}
{{- define "modelward.artifactBaseUrl" -}}
{{- if .Values.deployer.artifactBaseUrl }}
{{- .Values.deployer.artifactBaseUrl }}
{{- else }}
{{- $port := ternary "" (printf ":%v" .Values.service.port) (eq (int .Values.service.port) 80) }}
{{- printf "http://%s.%s.svc%s/internal/artifacts" (include "modelward.fullname" .) .Release.Namespace $port }}
{{- end }}
{{- end }}

{{/* The Secret with the deployer's token key. */}}
{{- define "modelward.tokenKeySecret" -}}
{{- required "deployer.tokenKey.existingSecret is required: a Secret with the deployer's token key (64 hex digits)" .Values.deployer.tokenKey.existingSecret }}
{{- end }}

{{/* The artifact store's claim. */}}
{{- define "modelward.artifactClaim" -}}
{{- default (printf "%s-artifacts" (include "modelward.fullname" .)) .Values.artifacts.existingClaim }}
{{- end }}
