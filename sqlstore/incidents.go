package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
)

const incidentCols = `id, title, severity, status, fingerprint, source_id, alert_count, labels, link,
	description, runbook, created_at, updated_at, last_seen_at, acknowledged_at, resolved_at, closed_at`

const timelineCols = `id, incident_id, kind, at, actor, event_id, from_status, to_status, message`

// maxAlertTries bounds the retries of an alert that lost a race for the one
// open incident of its fingerprint; the second try always finds the winner.
const maxAlertTries = 4

// severityRank orders severities, most urgent highest.
var severityRank = map[string]int{
	hookhub.SeverityInfo: 1, hookhub.SeverityLow: 2, hookhub.SeverityMedium: 3,
	hookhub.SeverityHigh: 4, hookhub.SeverityCritical: 5,
}

// ApplyAlert applies one alert in a transaction. When two alerts with a new
// fingerprint race, the unique index on open incidents lets one insert win;
// the loser's transaction fails with a conflict and is retried, and then
// joins the winner's incident.
func (s *Store) ApplyAlert(ctx context.Context, in *hookhub.AlertInput) (*hookhub.AlertOutcome, error) {
	at := s.stamp(in.At)
	for try := 1; ; try++ {
		var out *hookhub.AlertOutcome
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			var err error
			out, err = s.applyAlertIn(ctx, tx, in, at)
			return err
		})
		if err != nil && hookhub.ErrorCode(err) == hookhub.ECONFLICT && try < maxAlertTries {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("apply alert: %w", err)
		}
		return out, nil
	}
}

// applyAlertIn applies one alert and stores the event announcing its change,
// in tx.
func (s *Store) applyAlertIn(ctx context.Context, tx *sql.Tx, in *hookhub.AlertInput, at time.Time) (*hookhub.AlertOutcome, error) {
	out, err := s.applyAlert(ctx, tx, in, at)
	if err != nil || out.Change == nil {
		return out, err
	}
	return out, s.announce(ctx, tx, in.Announce, out.Incident, out.Change)
}

func (s *Store) applyAlert(ctx context.Context, tx *sql.Tx, in *hookhub.AlertInput, at time.Time) (*hookhub.AlertOutcome, error) {
	a := in.Alert
	inc, err := s.scanIncident(tx.QueryRowContext(ctx, s.q(`SELECT `+incidentCols+` FROM incidents
		WHERE source_id = ? AND fingerprint = ? AND status IN ('triggered', 'acknowledged') `+s.d.lockRows),
		in.SourceID, a.Fingerprint))
	switch {
	case err == nil:
		return s.joinIncident(ctx, tx, inc, in, at)
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("find open incident: %w", err)
	case a.Status != hookhub.AlertFiring:
		// Resolving or acknowledging what is not open changes nothing.
		return &hookhub.AlertOutcome{}, nil
	}
	if in.ReopenWindow > 0 {
		inc, err := s.scanIncident(tx.QueryRowContext(ctx, s.q(`SELECT `+incidentCols+` FROM incidents
			WHERE source_id = ? AND fingerprint = ? AND status = 'resolved' AND resolved_at >= ?
			ORDER BY resolved_at DESC LIMIT 1 `+s.d.lockRows),
			in.SourceID, a.Fingerprint, s.d.t(at.Add(-in.ReopenWindow))))
		switch {
		case err == nil:
			return s.reopenByAlert(ctx, tx, inc, in, at)
		case !errors.Is(err, sql.ErrNoRows):
			return nil, fmt.Errorf("find resolved incident: %w", err)
		}
	}
	inc = &hookhub.Incident{
		ID: hookhub.NewID(hookhub.PrefixIncident), Title: a.Title, Severity: a.Severity,
		Status: hookhub.IncidentTriggered, Fingerprint: a.Fingerprint, SourceID: in.SourceID,
		AlertCount: 1, Labels: a.Labels, Link: a.Link, Description: a.Description, Runbook: a.Runbook,
		CreatedAt: at, UpdatedAt: at, LastSeenAt: at,
	}
	labels, err := jsonText(inc.Labels)
	if err != nil {
		return nil, err
	}
	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO incidents (`+incidentCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)`),
		inc.ID, inc.Title, inc.Severity, inc.Status, inc.Fingerprint, inc.SourceID, inc.AlertCount,
		labels, inc.Link, inc.Description, inc.Runbook, s.d.t(at), s.d.t(at), s.d.t(at))
	if err != nil {
		return nil, s.check(err, "open incident")
	}
	created := &hookhub.TimelineEntry{IncidentID: inc.ID, Kind: hookhub.TimelineCreated, At: at,
		Actor: hookhub.ActorSystem, EventID: in.EventID, To: hookhub.IncidentTriggered, Message: a.Title}
	if err := s.addTimeline(ctx, tx, created); err != nil {
		return nil, err
	}
	return &hookhub.AlertOutcome{Incident: inc, Created: true, Change: created}, nil
}

// joinIncident counts an alert on an open incident and follows its status.
func (s *Store) joinIncident(ctx context.Context, tx *sql.Tx, inc *hookhub.Incident, in *hookhub.AlertInput, at time.Time) (*hookhub.AlertOutcome, error) {
	a := in.Alert
	if a.Status == hookhub.AlertFiring {
		inc.AlertCount++ // the count is of alerts, not of their resolutions
	}
	inc.LastSeenAt, inc.UpdatedAt = at, at
	if severityRank[a.Severity] > severityRank[inc.Severity] {
		inc.Severity = a.Severity // an alert that escalates raises its incident
	}
	out := &hookhub.AlertOutcome{Incident: inc}
	entries := []*hookhub.TimelineEntry{{IncidentID: inc.ID, Kind: hookhub.TimelineWebhookReceived, At: at,
		Actor: hookhub.ActorSystem, EventID: in.EventID, Message: a.Status}}
	var to, why string
	switch {
	case a.Status == hookhub.AlertResolved:
		to, why = hookhub.IncidentResolved, "resolved by the sender"
		inc.ResolvedAt = at
	case a.Status == hookhub.AlertAcknowledged && inc.Status == hookhub.IncidentTriggered:
		to, why = hookhub.IncidentAcknowledged, "acknowledged by the sender"
		inc.AcknowledgedAt = at
	}
	if to != "" {
		out.Change = &hookhub.TimelineEntry{IncidentID: inc.ID, Kind: hookhub.TimelineStatusChanged, At: at,
			Actor: hookhub.ActorSystem, EventID: in.EventID, From: inc.Status, To: to, Message: why}
		entries = append(entries, out.Change)
		inc.Status = to
	}
	if err := s.updateIncident(ctx, tx, inc); err != nil {
		return nil, err
	}
	if err := s.addTimeline(ctx, tx, entries...); err != nil {
		return nil, err
	}
	return out, nil
}

// reopenByAlert brings a recently resolved incident back for a new firing
// alert: a flapping check stays one incident instead of many.
func (s *Store) reopenByAlert(ctx context.Context, tx *sql.Tx, inc *hookhub.Incident, in *hookhub.AlertInput, at time.Time) (*hookhub.AlertOutcome, error) {
	change := &hookhub.TimelineEntry{IncidentID: inc.ID, Kind: hookhub.TimelineStatusChanged, At: at,
		Actor: hookhub.ActorSystem, EventID: in.EventID, From: inc.Status, To: hookhub.IncidentTriggered,
		Message: "reopened by a new firing alert"}
	received := &hookhub.TimelineEntry{IncidentID: inc.ID, Kind: hookhub.TimelineWebhookReceived, At: at,
		Actor: hookhub.ActorSystem, EventID: in.EventID, Message: in.Alert.Status}
	inc.Status = hookhub.IncidentTriggered
	inc.AlertCount++
	inc.LastSeenAt, inc.UpdatedAt = at, at
	inc.AcknowledgedAt, inc.ResolvedAt = time.Time{}, time.Time{}
	if severityRank[in.Alert.Severity] > severityRank[inc.Severity] {
		inc.Severity = in.Alert.Severity
	}
	if err := s.updateIncident(ctx, tx, inc); err != nil {
		return nil, err
	}
	if err := s.addTimeline(ctx, tx, received, change); err != nil {
		return nil, err
	}
	return &hookhub.AlertOutcome{Incident: inc, Change: change}, nil
}

// GetIncident returns one incident.
func (s *Store) GetIncident(ctx context.Context, id string) (*hookhub.Incident, error) {
	inc, err := s.scanIncident(s.read.QueryRowContext(ctx, s.q(`SELECT `+incidentCols+` FROM incidents WHERE id = ?`), id))
	return inc, s.found(err, "incident", id)
}

// ListIncidents returns incidents by last activity, most recent first. The
// cursor is the last row's activity time and ID, as "<microseconds>.<id>".
func (s *Store) ListIncidents(ctx context.Context, f hookhub.IncidentFilter) ([]*hookhub.Incident, string, error) {
	w := &where{}
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	if f.Severity != "" {
		w.add("severity = ?", f.Severity)
	}
	if f.SourceID != "" {
		w.add("source_id = ?", f.SourceID)
	}
	if f.Query != "" {
		w.add(`LOWER(title) LIKE ? ESCAPE '\'`, "%"+likeEscaper.Replace(strings.ToLower(f.Query))+"%")
	}
	if f.Cursor != "" {
		at, id, err := parseTimeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		t := s.d.t(at)
		w.add("(updated_at < ? OR (updated_at = ? AND id < ?))", t, t, id)
	}
	limit := f.PageLimit()
	query := `SELECT ` + incidentCols + ` FROM incidents` + w.String() + ` ORDER BY updated_at DESC, id DESC LIMIT ?`
	items, err := queryAll(ctx, s, query, append(w.args, limit+1), s.scanIncident)
	if err != nil {
		return nil, "", fmt.Errorf("list incidents: %w", err)
	}
	if len(items) > limit {
		last := items[limit-1]
		return items[:limit], timeCursor(last.UpdatedAt, last.ID), nil
	}
	return items, "", nil
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// TransitionIncident applies a person's action to an incident.
func (s *Store) TransitionIncident(ctx context.Context, id, action, actor, message string, at time.Time, announce hookhub.Announcer) (*hookhub.Incident, *hookhub.TimelineEntry, error) {
	at = s.stamp(at)
	var inc *hookhub.Incident
	var entry *hookhub.TimelineEntry
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if inc, err = s.lockIncident(ctx, tx, id); err != nil {
			return err
		}
		to, err := hookhub.NextStatus(inc.Status, action)
		if err != nil {
			return err
		}
		entry = &hookhub.TimelineEntry{IncidentID: id, Kind: hookhub.TimelineStatusChanged, At: at,
			Actor: actor, From: inc.Status, To: to, Message: message}
		switch to {
		case hookhub.IncidentAcknowledged:
			inc.AcknowledgedAt = at
		case hookhub.IncidentResolved:
			inc.ResolvedAt = at
		case hookhub.IncidentClosed:
			inc.ClosedAt = at
		case hookhub.IncidentTriggered:
			inc.AcknowledgedAt, inc.ResolvedAt, inc.ClosedAt = time.Time{}, time.Time{}, time.Time{}
		}
		inc.Status, inc.UpdatedAt = to, at
		if err := s.updateIncident(ctx, tx, inc); err != nil {
			if hookhub.ErrorCode(err) == hookhub.ECONFLICT {
				return hookhub.Errorf(hookhub.ECONFLICT, "another open incident has the same fingerprint")
			}
			return err
		}
		if err := s.addTimeline(ctx, tx, entry); err != nil {
			return err
		}
		return s.announce(ctx, tx, announce, inc, entry)
	})
	if err != nil {
		return nil, nil, err
	}
	return inc, entry, nil
}

// AddIncidentComment adds a comment to an incident's timeline.
func (s *Store) AddIncidentComment(ctx context.Context, id, actor, message string, at time.Time, announce hookhub.Announcer) (*hookhub.Incident, *hookhub.TimelineEntry, error) {
	at = s.stamp(at)
	var inc *hookhub.Incident
	entry := &hookhub.TimelineEntry{IncidentID: id, Kind: hookhub.TimelineCommented, At: at, Actor: actor, Message: message}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if inc, err = s.lockIncident(ctx, tx, id); err != nil {
			return err
		}
		inc.UpdatedAt = at
		if err := s.updateIncident(ctx, tx, inc); err != nil {
			return err
		}
		if err := s.addTimeline(ctx, tx, entry); err != nil {
			return err
		}
		return s.announce(ctx, tx, announce, inc, entry)
	})
	if err != nil {
		return nil, nil, err
	}
	return inc, entry, nil
}

// announce stores, in tx, the event that announce makes for a change.
func (s *Store) announce(ctx context.Context, tx *sql.Tx, announce hookhub.Announcer, inc *hookhub.Incident, change *hookhub.TimelineEntry) error {
	if announce == nil {
		return nil
	}
	ne, err := announce(inc, change)
	if err != nil {
		return err
	}
	return s.saveInTx(ctx, tx, ne)
}

// ListTimeline returns a page of an incident's timeline oldest first, with a
// cursor of the last entry's time and ID.
func (s *Store) ListTimeline(ctx context.Context, incidentID string, p hookhub.Page) ([]*hookhub.TimelineEntry, string, error) {
	if _, err := s.GetIncident(ctx, incidentID); err != nil {
		return nil, "", err
	}
	w := &where{}
	w.add("incident_id = ?", incidentID)
	if p.Cursor != "" {
		at, id, err := parseTimeCursor(p.Cursor)
		if err != nil {
			return nil, "", err
		}
		t := s.d.t(at)
		w.add("(at > ? OR (at = ? AND id > ?))", t, t, id)
	}
	limit := p.PageLimit()
	entries, err := queryAll(ctx, s, `SELECT `+timelineCols+` FROM incident_timeline`+w.String()+` ORDER BY at, id LIMIT ?`,
		append(w.args, limit+1), scanTimeline)
	if err != nil {
		return nil, "", fmt.Errorf("list timeline: %w", err)
	}
	if len(entries) > limit {
		last := entries[limit-1]
		return entries[:limit], timeCursor(last.At, last.ID), nil
	}
	return entries, "", nil
}

func (s *Store) lockIncident(ctx context.Context, tx *sql.Tx, id string) (*hookhub.Incident, error) {
	inc, err := s.scanIncident(tx.QueryRowContext(ctx, s.q(`SELECT `+incidentCols+` FROM incidents WHERE id = ? `+s.d.lockRows), id))
	return inc, s.found(err, "incident", id)
}

func (s *Store) updateIncident(ctx context.Context, tx *sql.Tx, inc *hookhub.Incident) error {
	_, err := tx.ExecContext(ctx, s.q(`UPDATE incidents SET severity = ?, status = ?, alert_count = ?,
		updated_at = ?, last_seen_at = ?, acknowledged_at = ?, resolved_at = ?, closed_at = ? WHERE id = ?`),
		inc.Severity, inc.Status, inc.AlertCount, s.d.t(inc.UpdatedAt), s.d.t(inc.LastSeenAt),
		s.d.t(inc.AcknowledgedAt), s.d.t(inc.ResolvedAt), s.d.t(inc.ClosedAt), inc.ID)
	return s.check(err, "update incident")
}

// addTimeline inserts entries in the order given. Entries of one change share
// their time, and IDs made in the same millisecond are not ordered, so the
// IDs are sorted before they are handed out: the timeline reads (at, id).
func (s *Store) addTimeline(ctx context.Context, tx *sql.Tx, entries ...*hookhub.TimelineEntry) error {
	ids := make([]string, len(entries))
	for i := range ids {
		ids[i] = hookhub.NewID(hookhub.PrefixTimeline)
	}
	slices.Sort(ids)
	for i, e := range entries {
		e.ID = ids[i]
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO incident_timeline (`+timelineCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			e.ID, e.IncidentID, e.Kind, s.d.t(e.At), e.Actor, e.EventID, e.From, e.To, e.Message)
		if err != nil {
			return s.check(err, "add timeline entry")
		}
	}
	return nil
}

func (s *Store) scanIncident(row scanner) (*hookhub.Incident, error) {
	var inc hookhub.Incident
	err := row.Scan(&inc.ID, &inc.Title, &inc.Severity, &inc.Status, &inc.Fingerprint, str(&inc.SourceID),
		&inc.AlertCount, js(&inc.Labels), &inc.Link, &inc.Description, &inc.Runbook,
		tm(&inc.CreatedAt), tm(&inc.UpdatedAt), tm(&inc.LastSeenAt),
		tm(&inc.AcknowledgedAt), tm(&inc.ResolvedAt), tm(&inc.ClosedAt))
	if err != nil {
		return nil, err
	}
	return &inc, nil
}

func scanTimeline(row scanner) (*hookhub.TimelineEntry, error) {
	var e hookhub.TimelineEntry
	if err := row.Scan(&e.ID, &e.IncidentID, &e.Kind, tm(&e.At), &e.Actor, &e.EventID, &e.From, &e.To, &e.Message); err != nil {
		return nil, err
	}
	return &e, nil
}

// timeCursor is the cursor of a list ordered by a time and then ID: the
// time in microseconds, a dot, the ID.
func timeCursor(at time.Time, id string) string {
	return strconv.FormatInt(at.UnixMicro(), 10) + "." + id
}

func parseTimeCursor(cursor string) (time.Time, string, error) {
	micros, id, ok := strings.Cut(cursor, ".")
	n, err := strconv.ParseInt(micros, 10, 64)
	if !ok || err != nil {
		return time.Time{}, "", hookhub.Errorf(hookhub.EINVALID, "invalid cursor")
	}
	return time.UnixMicro(n), id, nil
}
