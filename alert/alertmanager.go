package alert

import (
	"fmt"
	"hash/fnv"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/hookhub/hookhub"
)

// groupByKey is the AlertConfig.GroupBy value for one incident per
// Alertmanager group.
const groupByKey = "group_key"

// amMessage is Alertmanager's webhook body, version 4.
type amMessage struct {
	Version           string            `json:"version"`
	GroupKey          string            `json:"groupKey"`
	Status            string            `json:"status"`
	GroupLabels       map[string]string `json:"groupLabels"`
	CommonLabels      map[string]string `json:"commonLabels"`
	CommonAnnotations map[string]string `json:"commonAnnotations"`
	ExternalURL       string            `json:"externalURL"`
	Alerts            []amAlert         `json:"alerts"`
}

type amAlert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     time.Time         `json:"startsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
}

// parseAlertmanager reads an Alertmanager webhook: one alert per entry of
// alerts, or with GroupBy group_key one alert for the whole group.
func parseAlertmanager(cfg hookhub.AlertConfig, _ http.Header, in input) ([]hookhub.Alert, error) {
	var msg amMessage
	if err := decodeObject(hookhub.SourceAlertmanager, in.raw, &msg); err != nil {
		return nil, err
	}
	if msg.Version != "" && msg.Version != "4" {
		return nil, invalid("alertmanager webhook version %q is not supported; version 4 is", msg.Version)
	}
	var m missing
	if len(msg.Alerts) == 0 {
		m = append(m, "alerts")
	}
	if cfg.GroupBy == groupByKey {
		m.need(msg.GroupKey, "groupKey")
	}
	alerts := make([]hookhub.Alert, len(msg.Alerts))
	for i, x := range msg.Alerts {
		alerts[i] = x.normalize()
		if blank(alerts[i].Title) {
			m = append(m, fmt.Sprintf("alerts.%d.labels.alertname", i))
		}
	}
	if err := m.err(hookhub.EUNPROCESSABLE); err != nil {
		return nil, err
	}
	if cfg.GroupBy == groupByKey {
		return []hookhub.Alert{msg.group(alerts)}, nil
	}
	return alerts, nil
}

func (x amAlert) normalize() hookhub.Alert {
	a := hookhub.Alert{
		Title:       x.Annotations["summary"],
		Severity:    NormalizeSeverity(x.Labels["severity"]),
		Status:      hookhub.AlertFiring,
		Fingerprint: x.Fingerprint,
		Labels:      maps.Clone(x.Labels),
		Link:        x.GeneratorURL,
		Description: x.Annotations["description"],
		Runbook:     x.Annotations["runbook_url"],
		StartsAt:    x.StartsAt.UTC(),
	}
	if blank(a.Title) {
		a.Title = x.Labels["alertname"]
	}
	if blank(a.Fingerprint) {
		a.Fingerprint = labelsFingerprint(x.Labels)
	}
	if x.Status == hookhub.AlertResolved {
		a.Status = hookhub.AlertResolved
	}
	if a.Labels == nil {
		a.Labels = map[string]string{}
	}
	return a
}

// group folds a group's alerts into one: firing while any alert fires, as
// urgent as its most urgent alert, described by what the alerts share.
func (msg amMessage) group(alerts []hookhub.Alert) hookhub.Alert {
	g := hookhub.Alert{
		Title:       msg.CommonAnnotations["summary"],
		Severity:    hookhub.SeverityInfo,
		Status:      hookhub.AlertResolved,
		Fingerprint: "group:" + msg.GroupKey,
		Labels:      maps.Clone(msg.CommonLabels),
		Link:        msg.ExternalURL,
		Description: msg.CommonAnnotations["description"],
		Runbook:     msg.CommonAnnotations["runbook_url"],
	}
	if blank(g.Title) {
		g.Title = msg.CommonLabels["alertname"]
	}
	if blank(g.Title) {
		g.Title = alerts[0].Title
	}
	if g.Link == "" {
		g.Link = alerts[0].Link
	}
	if g.Labels == nil {
		g.Labels = map[string]string{}
	}
	for _, a := range alerts {
		if a.Status == hookhub.AlertFiring {
			g.Status = hookhub.AlertFiring
		}
		if severityRank(a.Severity) > severityRank(g.Severity) {
			g.Severity = a.Severity
		}
		if !a.StartsAt.IsZero() && (g.StartsAt.IsZero() || a.StartsAt.Before(g.StartsAt)) {
			g.StartsAt = a.StartsAt
		}
	}
	return g
}

// labelsFingerprint is Prometheus's label set fingerprint (FNV-1a over the
// sorted names and values, each followed by 0xff), so an alert without a
// fingerprint field gets the one Alertmanager would have sent.
func labelsFingerprint(labels map[string]string) string {
	h := fnv.New64a()
	for _, name := range slices.Sorted(maps.Keys(labels)) {
		h.Write([]byte(name))
		h.Write([]byte{0xff})
		h.Write([]byte(labels[name]))
		h.Write([]byte{0xff})
	}
	return fmt.Sprintf("%016x", h.Sum64())
}
