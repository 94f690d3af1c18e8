package sqlstore

import (
	"context"
	"strings"

	"github.com/hookhub/hookhub"
)

const eventCols = `id, source_id, type, status, received_at, method, path, raw_query, headers, body,
	client_ip, verify_scheme, verify_result, verify_reason, dedup_key, duplicate_of, variables, trace_parent, trace_state`

// GetEvent returns the event with the given ID.
func (s *Store) GetEvent(ctx context.Context, id string) (*hookhub.Event, error) {
	row := s.read.QueryRowContext(ctx, s.q(`SELECT `+eventCols+` FROM events WHERE id = ?`), id)
	ev, err := scanEvent(row)
	return ev, s.found(err, "event", id)
}

// maxIDsPerQuery keeps IN lists well under every database's parameter limit.
const maxIDsPerQuery = 500

// GetEvents returns the events with the given IDs that exist, in any order.
func (s *Store) GetEvents(ctx context.Context, ids []string) ([]*hookhub.Event, error) {
	var out []*hookhub.Event
	for _, chunk := range sizedIDChunks(ids, maxIDsPerQuery) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		query := `SELECT ` + eventCols + ` FROM events WHERE id IN (?` + strings.Repeat(", ?", len(chunk)-1) + `)`
		evs, err := queryAll(ctx, s, query, args, scanEvent)
		if err != nil {
			return nil, s.check(err, "get events")
		}
		out = append(out, evs...)
	}
	return out, nil
}

// ListEvents returns the events matching f, newest first. Since is inclusive
// and Until exclusive.
func (s *Store) ListEvents(ctx context.Context, f hookhub.EventFilter) ([]*hookhub.Event, string, error) {
	w := &where{}
	if f.SourceID != "" {
		w.add("source_id = ?", f.SourceID)
	}
	if f.Type != "" {
		w.add("type = ?", f.Type)
	}
	switch f.Status {
	case hookhub.EventRejected, hookhub.EventDuplicate, hookhub.EventAccepted:
		// A literal, so that the partial indexes of rare statuses apply.
		w.add("status = '" + f.Status + "'")
	case "":
	default:
		w.add("status = ?", f.Status)
	}
	if !f.Since.IsZero() {
		w.add("received_at >= ?", s.d.t(f.Since))
	}
	if !f.Until.IsZero() {
		w.add("received_at < ?", s.d.t(f.Until))
	}
	var query string
	var args []any
	if f.After != "" {
		w.add("id > ?", f.After)
		query, args = pageQueryAsc(`SELECT `+eventCols+` FROM events`, w, f.Page)
	} else {
		query, args = pageQuery(`SELECT `+eventCols+` FROM events`, w, f.Page)
	}
	list, next, err := listPage(ctx, s, query, args, f.Page, scanEvent, func(x *hookhub.Event) string { return x.ID })
	if err != nil {
		return nil, "", s.check(err, "list events")
	}
	return list, next, nil
}

func scanEvent(row scanner) (*hookhub.Event, error) {
	var ev hookhub.Event
	v := &ev.Verification
	err := row.Scan(&ev.ID, str(&ev.SourceID), &ev.Type, &ev.Status, tm(&ev.ReceivedAt), &ev.Method, &ev.Path,
		&ev.RawQuery, js(&ev.Headers), &ev.Body, &ev.ClientIP, &v.Scheme, &v.Result, &v.Reason,
		&ev.DedupKey, &ev.DuplicateOf, js(&ev.Variables), &ev.TraceParent, &ev.TraceState)
	if err != nil {
		return nil, err
	}
	if len(ev.Body) == 0 {
		ev.Body = nil // one spelling of "no body" whichever driver scanned it
	}
	return &ev, nil
}
