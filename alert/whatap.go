package alert

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
)

// parseWhaTap reads a WhaTap alert webhook. No published schema exists, so
// it reads only the fields WhaTap's guide names and is lenient about their
// JSON types: pcode and oid may come as numbers or strings.
func parseWhaTap(_ hookhub.AlertConfig, _ http.Header, in input) ([]hookhub.Alert, error) {
	v, err := decodeValue(hookhub.SourceWhaTap, in)
	if err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, invalid("whatap alert body must be a JSON object")
	}
	fields := map[string]string{}
	for _, name := range []string{"title", "pcode", "uuid", "oid", "metricName", "status", "level", "message", "projectName", "oname"} {
		raw, present := obj[name]
		if !present || raw == nil {
			continue
		}
		s, ok := scalar(raw)
		if !ok {
			return nil, invalid("whatap alert field %s must be a string or a number", name)
		}
		fields[name] = s
	}
	var m missing
	m.need(fields["title"], "title")
	m.need(fields["pcode"], "pcode")
	m.need(fields["uuid"], "uuid")
	if err := m.err(hookhub.EUNPROCESSABLE); err != nil {
		return nil, err
	}

	a := hookhub.Alert{
		Title:    fields["title"],
		Severity: NormalizeSeverity(fields["level"]),
		Status:   hookhub.AlertFiring,
		// One check on one agent is one incident: the uuid differs per
		// notification, so it cannot join a resolve to its firing alert.
		Fingerprint: hashParts(fields["pcode"], fields["oid"], fields["metricName"], fields["title"]),
		Description: fields["message"],
		Labels:      map[string]string{},
		StartsAt:    epochMillis(obj["time"]),
	}
	switch strings.ToUpper(strings.TrimSpace(fields["status"])) {
	case "RESOLVED", "OK":
		a.Status = hookhub.AlertResolved
	}
	for _, name := range []string{"projectName", "oname", "oid", "pcode", "metricName"} {
		if s := fields[name]; s != "" {
			a.Labels[name] = s
		}
	}
	return []hookhub.Alert{a}, nil
}

// epochMillis reads a time in milliseconds since the epoch, as a number or a
// numeric string; anything else is an unknown time.
func epochMillis(v any) time.Time {
	s, ok := scalar(v)
	if !ok {
		return time.Time{}
	}
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil || ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
