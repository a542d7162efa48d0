/**
 * Pyrometer's built-in notification templates, loaded before the user's `templates:` files. They
 * define every name Alertmanager's built-ins define (`__subject`, `slack.default.title`,
 * `email.default.html`, …) and render the same text for the same data, so receivers left on their
 * defaults notify exactly as with upstream; the e-mail body is our own markup with the same
 * visible text. Helpers of our own are prefixed `__pyrometer_`.
 */
export const DEFAULT_TEMPLATES = String.raw`
{{- /* Names and links. */ -}}

{{- define "__alertmanager" -}}Alertmanager{{- end -}}

{{- define "__alertmanagerURL" -}}
{{ .ExternalURL }}/#/alerts?receiver={{ urlquery .Receiver }}
{{- end -}}

{{- /* "[FIRING:2] <group label values> (<other common label values>)" */ -}}
{{- define "__subject" -}}
{{- $status := toUpper .Status -}}
{{- if eq .Status "firing" }}{{ $status = printf "%s:%d" $status (len .Alerts.Firing) }}{{ end -}}
[{{ $status }}] {{ join " " .GroupLabels.Values }} {{ if lt (len .GroupLabels) (len .CommonLabels) -}}
({{ join " " (.CommonLabels.Remove .GroupLabels.Names).Values }})
{{- end }}
{{- end -}}

{{- define "__description" -}}{{- end -}}

{{- /* One " - name = value" line per pair; dot is (dict "Indent" … "Pairs" …). */ -}}
{{- define "__pyrometer_pairs" -}}
{{- range .Pairs }}{{ $.Indent }}- {{ .Name }} = {{ .Value }}
{{ end -}}
{{- end -}}

{{- /* Alert lists; dot is a list of alerts. */ -}}
{{- define "__text_alert_list" -}}
{{- range . -}}
Labels:
{{ template "__pyrometer_pairs" (dict "Indent" " " "Pairs" .Labels.SortedPairs) -}}
Annotations:
{{ template "__pyrometer_pairs" (dict "Indent" " " "Pairs" .Annotations.SortedPairs) -}}
Source: {{ .GeneratorURL }}
{{ end -}}
{{- end -}}

{{- define "__text_alert_list_markdown" -}}
{{- range . }}
Labels:
{{ template "__pyrometer_pairs" (dict "Indent" "  " "Pairs" .Labels.SortedPairs) }}
Annotations:
{{ template "__pyrometer_pairs" (dict "Indent" "  " "Pairs" .Annotations.SortedPairs) }}
Source: {{ .GeneratorURL }}
{{ end }}
{{ end -}}

{{- /*
  One titled section of alerts, printed only when there are alerts. Dot is a dict: Alerts, Title,
  Markdown (use the markdown list) and Spaced (a blank line before and after).
*/ -}}
{{- define "__pyrometer_section" -}}
{{- with .Alerts -}}
{{- if $.Spaced }}{{ "\n" }}{{ end -}}
{{ $.Title }}:
{{ if $.Markdown }}{{ template "__text_alert_list_markdown" . }}{{ else }}{{ template "__text_alert_list" . }}{{ end -}}
{{- if $.Spaced }}{{ "\n" }}{{ end -}}
{{- end -}}
{{- end -}}

{{- /* The firing section, a newline, the resolved section. Dot: Data, Heading, Markdown, Spaced. */ -}}
{{- define "__pyrometer_alert_sections" -}}
{{ template "__pyrometer_section" (dict "Alerts" .Data.Alerts.Firing "Title" (print .Heading "Alerts Firing") "Markdown" .Markdown "Spaced" .Spaced) }}
{{ template "__pyrometer_section" (dict "Alerts" .Data.Alerts.Resolved "Title" (print .Heading "Alerts Resolved") "Markdown" .Markdown "Spaced" .Spaced) }}
{{- end -}}

{{- /* Common annotations, then the alerts: tightly (chat-ops tools) or with blank lines (push services). */ -}}
{{- define "__pyrometer_annotated_compact" -}}
{{ join " " .CommonAnnotations.Values }}
{{ template "__pyrometer_alert_sections" (dict "Data" . "Heading" "" "Markdown" false "Spaced" false) }}
{{- end -}}

{{- define "__pyrometer_annotated_spaced" -}}
{{ join " " .CommonAnnotations.Values }}
{{ template "__pyrometer_alert_sections" (dict "Data" . "Heading" "" "Markdown" false "Spaced" true) }}
{{ end -}}

{{- define "__pyrometer_spaced" -}}
{{ "\n" }}{{ template "__pyrometer_alert_sections" (dict "Data" . "Heading" "" "Markdown" false "Spaced" true) }}
{{ end -}}

{{- define "__pyrometer_markdown" -}}
{{ "\n" }}{{ template "__pyrometer_alert_sections" (dict "Data" . "Heading" "# " "Markdown" true "Spaced" true) }}
{{ end -}}

{{- /* Slack. */ -}}
{{- define "slack.default.title" }}{{ template "__subject" . }}{{ end -}}
{{- define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end -}}
{{- define "slack.default.fallback" }}{{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}{{ end -}}
{{- define "slack.default.callbackid" }}{{ end -}}
{{- define "slack.default.pretext" }}{{ end -}}
{{- define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end -}}
{{- define "slack.default.iconemoji" }}{{ end -}}
{{- define "slack.default.iconurl" }}{{ end -}}
{{- define "slack.default.text" }}{{ end -}}
{{- define "slack.default.footer" }}{{ end -}}

{{- /* PagerDuty; "instances" takes a list of alerts. */ -}}
{{- define "pagerduty.default.description" }}{{ template "__subject" . }}{{ end -}}
{{- define "pagerduty.default.client" }}{{ template "__alertmanager" . }}{{ end -}}
{{- define "pagerduty.default.clientURL" }}{{ template "__alertmanagerURL" . }}{{ end -}}
{{- define "pagerduty.default.instances" }}{{ template "__text_alert_list" . }}{{ end -}}

{{- /* Opsgenie, VictorOps, WeChat. */ -}}
{{- define "opsgenie.default.message" }}{{ template "__subject" . }}{{ end -}}
{{- define "opsgenie.default.description" }}{{ template "__pyrometer_annotated_compact" . }}{{ end -}}
{{- define "opsgenie.default.source" }}{{ template "__alertmanagerURL" . }}{{ end -}}
{{- define "victorops.default.state_message" }}{{ template "__pyrometer_annotated_compact" . }}{{ end -}}
{{- define "victorops.default.entity_display_name" }}{{ template "__subject" . }}{{ end -}}
{{- define "victorops.default.monitoring_tool" }}{{ template "__alertmanager" . }}{{ end -}}
{{- define "wechat.default.message" -}}
{{ template "__subject" . }}
{{ template "__pyrometer_annotated_compact" . }}
AlertmanagerUrl:
{{ template "__alertmanagerURL" . }}
{{- end -}}
{{- define "wechat.default.to_user" }}{{ end -}}
{{- define "wechat.default.to_party" }}{{ end -}}
{{- define "wechat.default.to_tag" }}{{ end -}}
{{- define "wechat.default.agent_id" }}{{ end -}}

{{- /* Pushover, SNS, Webex, Telegram, Discord. */ -}}
{{- define "pushover.default.title" }}{{ template "__subject" . }}{{ end -}}
{{- define "pushover.default.message" }}{{ template "__pyrometer_annotated_spaced" . }}{{ end -}}
{{- define "pushover.default.url" }}{{ template "__alertmanagerURL" . }}{{ end -}}
{{- define "sns.default.subject" }}{{ template "__subject" . }}{{ end -}}
{{- define "sns.default.message" }}{{ template "__pyrometer_annotated_spaced" . }}{{ end -}}
{{- define "webex.default.message" }}{{ template "__pyrometer_annotated_spaced" . }}{{ end -}}
{{- define "telegram.default.message" }}{{ template "__pyrometer_spaced" . }}{{ end -}}
{{- define "discord.default.content" }}{{ end -}}
{{- define "discord.default.title" }}{{ template "__subject" . }}{{ end -}}
{{- define "discord.default.message" }}{{ template "__pyrometer_spaced" . }}{{ end -}}

{{- /* Microsoft Teams and Jira (markdown). */ -}}
{{- define "msteams.default.summary" }}{{ template "__subject" . }}{{ end -}}
{{- define "msteams.default.title" }}{{ template "__subject" . }}{{ end -}}
{{- define "msteams.default.text" }}{{ template "__pyrometer_markdown" . }}{{ end -}}
{{- define "msteamsv2.default.title" }}{{ template "__subject" . }}{{ end -}}
{{- define "msteamsv2.default.text" }}{{ template "__pyrometer_markdown" . }}{{ end -}}
{{- define "jira.default.summary" }}{{ template "__subject" . }}{{ end -}}
{{- define "jira.default.description" }}{{ template "__pyrometer_markdown" . }}{{ end -}}

{{- /* The highest severity among firing alerts (else among resolved ones) as a Jira priority. */ -}}
{{- define "jira.default.priority" -}}
{{- $rank := 0 -}}
{{- range $alerts := list .Alerts.Firing .Alerts.Resolved -}}
  {{- if eq $rank 0 -}}
    {{- range $alerts -}}
      {{- $severity := index .Labels "severity" -}}
      {{- if and (eq $severity "critical") (lt $rank 3) }}{{ $rank = 3 }}
      {{- else if and (eq $severity "warning") (lt $rank 2) }}{{ $rank = 2 }}
      {{- else if and (eq $severity "info") (lt $rank 1) }}{{ $rank = 1 }}
      {{- end -}}
    {{- end -}}
  {{- end -}}
{{- end -}}
{{- index (list "" "Low" "Medium" "High") $rank -}}
{{- end -}}

{{- /* Rocket.Chat. */ -}}
{{- define "rocketchat.default.title" }}{{ template "__subject" . }}{{ end -}}
{{- define "rocketchat.default.alias" }}{{ template "__alertmanager" . }}{{ end -}}
{{- define "rocketchat.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end -}}
{{- define "rocketchat.default.emoji" }}{{ end -}}
{{- define "rocketchat.default.iconurl" }}{{ end -}}
{{- define "rocketchat.default.text" }}{{ end -}}

{{- /* E-mail. */ -}}
{{- define "email.default.subject" }}{{ template "__subject" . }}{{ end -}}

{{- define "__pyrometer_email_alert" -}}
<li style="margin:0 0 16px;padding:12px;border:1px solid #ddd;border-radius:4px;list-style:none">
<b>Labels</b><br>
{{ range .Labels.SortedPairs }}{{ .Name }} = {{ .Value }}<br>
{{ end -}}
{{ with .Annotations.SortedPairs }}<b>Annotations</b><br>
{{ range . }}{{ .Name }} = {{ .Value }}<br>
{{ end }}{{ end -}}
<a href="{{ .GeneratorURL }}">Source</a>
</li>
{{- end -}}

{{- define "email.default.html" -}}
<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width">
<title>{{ template "__subject" . }}</title>
</head>
<body style="margin:0;padding:24px;background:#f4f4f4;font-family:Helvetica,Arial,sans-serif;font-size:14px;color:#222">
<div style="max-width:640px;margin:0 auto;background:#fff;border:1px solid #e5e5e5">
<h1 style="margin:0;padding:18px;font-size:17px;font-weight:normal;color:#fff;background:{{ if .Alerts.Firing }}#d9534f{{ else }}#5cb85c{{ end }}">
{{ len .Alerts }} alert{{ if gt (len .Alerts) 1 }}s{{ end }} for {{ range .GroupLabels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}
</h1>
<div style="padding:18px">
<p><a href="{{ template "__alertmanagerURL" . }}" style="display:inline-block;padding:8px 16px;color:#fff;background:#337ab7;text-decoration:none;border-radius:4px">View in {{ template "__alertmanager" . }}</a></p>
{{ with .Alerts.Firing -}}
<h2 style="font-size:15px">[{{ len . }}] Firing</h2>
<ul style="padding:0">{{ range . }}{{ template "__pyrometer_email_alert" . }}{{ end }}</ul>
{{ end -}}
{{ with .Alerts.Resolved -}}
<h2 style="font-size:15px">[{{ len . }}] Resolved</h2>
<ul style="padding:0">{{ range . }}{{ template "__pyrometer_email_alert" . }}{{ end }}</ul>
{{ end -}}
</div>
<p style="padding:0 18px 18px;font-size:12px;color:#888"><a href="{{ .ExternalURL }}" style="color:#888">Sent by {{ template "__alertmanager" . }}</a></p>
</div>
</body>
</html>
{{ end -}}
`;
