package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/hookhub/hookhub"
)

// SaveEvents stores a batch of events with their deliveries in one
// transaction, in a few multi-row statements whatever the batch size.
// Duplicates (a DedupKey already held in its scope within the window) are
// stored with Status EventDuplicate and DuplicateOf set, and their deliveries
// dropped. An event of a source deleted since it was received fails the
// batch with ENOTFOUND: its sender must not be told it was stored (the
// committer then stores the others alone). A delivery to a deleted
// destination is dropped, as if the deletion came a moment later. The
// batch's events are updated only once it commits.
func (s *Store) SaveEvents(ctx context.Context, batch []*hookhub.NewEvent) error {
	if len(batch) == 0 {
		return nil
	}
	// Rows are encoded before the transaction, so the single writer of
	// SQLite is not held while JSON is built.
	rows, err := s.encodeEvents(batch)
	if err != nil {
		return err
	}
	var outcomes []eventOutcome
	for try := 1; ; try++ {
		err = s.inTx(ctx, func(tx *sql.Tx) error {
			var err error
			outcomes, err = s.saveEvents(ctx, tx, batch, rows)
			return err
		})
		// An alert that lost a race for the one open incident of its
		// fingerprint (another process committed it first) finds the
		// winner's incident when tried again, as in ApplyAlert.
		if err != nil && hookhub.ErrorCode(err) == hookhub.ECONFLICT && hasAlerts(batch) && try < maxAlertTries {
			continue
		}
		break
	}
	if err != nil {
		return s.check(err, "save events")
	}
	for i, ne := range batch {
		outcomes[i].applyTo(ne)
	}
	return nil
}

// saveInTx stores, in tx, an event announcing a change made in tx (none
// when ne is nil).
func (s *Store) saveInTx(ctx context.Context, tx *sql.Tx, ne *hookhub.NewEvent) error {
	if ne == nil {
		return nil
	}
	batch := []*hookhub.NewEvent{ne}
	rows, err := s.encodeEvents(batch)
	if err != nil {
		return err
	}
	out, err := s.saveEvents(ctx, tx, batch, rows)
	if err != nil {
		return fmt.Errorf("store announcement: %w", err)
	}
	out[0].applyTo(ne)
	return nil
}

// encodeEvents fills in each event's defaults and returns its column values.
func (s *Store) encodeEvents(batch []*hookhub.NewEvent) ([][]any, error) {
	rows := make([][]any, len(batch))
	for i, ne := range batch {
		s.eventDefaults(ne)
		row, err := s.eventRow(ne)
		if err != nil {
			return nil, err
		}
		rows[i] = row
	}
	return rows, nil
}

// eventOutcome is what saving one event decided, applied to the caller's
// values after commit so that a failed batch can be retried unchanged.
type eventOutcome struct {
	duplicateOf string
	kept        []*hookhub.Delivery
	alerts      []*hookhub.AlertOutcome
	runs        []*hookhub.WorkflowRun
}

func (o eventOutcome) applyTo(ne *hookhub.NewEvent) {
	if o.duplicateOf != "" {
		ne.Event.Status = hookhub.EventDuplicate
		ne.Event.DuplicateOf = o.duplicateOf
	}
	ne.Deliveries = o.kept
	ne.AlertOutcomes = o.alerts
	ne.Runs = o.runs
}

func hasAlerts(batch []*hookhub.NewEvent) bool {
	for _, ne := range batch {
		if len(ne.Alerts) > 0 {
			return true
		}
	}
	return false
}

// applyAlerts applies the alerts of the stored, accepted events of a batch in
// its transaction, after the events themselves are in: each timeline entry
// refers to its event.
func (s *Store) applyAlerts(ctx context.Context, tx *sql.Tx, batch []*hookhub.NewEvent, stored []bool, out []eventOutcome) error {
	for i, ne := range batch {
		if !stored[i] || out[i].duplicateOf != "" || ne.Event.Status != hookhub.EventAccepted {
			continue
		}
		for _, in := range ne.Alerts {
			in.EventID = ne.Event.ID
			o, err := s.applyAlertIn(ctx, tx, in, s.stamp(in.At))
			if err != nil {
				return err
			}
			out[i].alerts = append(out[i].alerts, o)
		}
	}
	return nil
}

func (s *Store) saveEvents(ctx context.Context, tx *sql.Tx, batch []*hookhub.NewEvent, eventRows [][]any) ([]eventOutcome, error) {
	stored, err := s.liveSources(ctx, tx, batch)
	if err != nil {
		return nil, err
	}
	out := make([]eventOutcome, len(batch))
	if err := s.insertEvents(ctx, tx, batch, stored, eventRows, out); err != nil {
		return nil, err
	}
	if err := s.insertDeliveries(ctx, tx, batch, stored, out); err != nil {
		return nil, err
	}
	if err := s.insertEventRuns(ctx, tx, batch, stored, out); err != nil {
		return nil, err
	}
	return out, s.applyAlerts(ctx, tx, batch, stored, out)
}

// insertEventRuns stores the workflow runs of the stored events that are
// not duplicates (a retried webhook starts no second run), and records in
// out which were kept.
func (s *Store) insertEventRuns(ctx context.Context, tx *sql.Tx, batch []*hookhub.NewEvent, stored []bool, out []eventOutcome) error {
	var runs []*hookhub.WorkflowRun
	for i, ne := range batch {
		if !stored[i] || out[i].duplicateOf != "" {
			continue
		}
		for _, r := range ne.Runs {
			out[i].runs = append(out[i].runs, r)
			runs = append(runs, r)
		}
	}
	if len(runs) == 0 {
		return nil
	}
	return s.insertRuns(ctx, tx, runs)
}

// liveSources reports, by batch index, that every event is to be stored: it
// has no source (published through the API) or its source exists, locked
// against deletion until the transaction ends; else it fails with ENOTFOUND.
func (s *Store) liveSources(ctx context.Context, tx *sql.Tx, batch []*hookhub.NewEvent) ([]bool, error) {
	ids := make([]string, len(batch))
	for i, ne := range batch {
		ids[i] = ne.Event.SourceID
	}
	found, err := s.existing(ctx, tx, "sources", distinct(ids))
	if err != nil {
		return nil, err
	}
	stored := make([]bool, len(batch))
	for i, id := range ids {
		if stored[i] = id == "" || found[id]; !stored[i] {
			return nil, hookhub.Errorf(hookhub.ENOTFOUND, "source %s no longer exists", id)
		}
	}
	return stored, nil
}

// insertDeliveries stores the deliveries of the stored events that are not
// duplicates, dropping those to destinations that no longer exist, and
// records in out which were kept.
func (s *Store) insertDeliveries(ctx context.Context, tx *sql.Tx, batch []*hookhub.NewEvent, stored []bool, out []eventOutcome) error {
	var dests []string
	for i, ne := range batch {
		if stored[i] && out[i].duplicateOf == "" {
			for _, d := range ne.Deliveries {
				dests = append(dests, d.DestinationID)
			}
		}
	}
	found, err := s.existing(ctx, tx, "destinations", distinct(dests))
	if err != nil {
		return err
	}
	var rows [][]any
	for i, ne := range batch {
		if !stored[i] || out[i].duplicateOf != "" {
			continue
		}
		for _, d := range ne.Deliveries {
			if found[d.DestinationID] {
				out[i].kept = append(out[i].kept, d)
				rows = append(rows, s.deliveryArgs(d))
			}
		}
	}
	if err := s.insertRows(ctx, tx, `INSERT INTO deliveries (`+deliveryCols+`)`, rows); err != nil {
		return fmt.Errorf("insert deliveries: %w", err)
	}
	return nil
}

// Indexes in eventRow of the columns dedup may change.
const (
	eventStatusCol      = 3
	eventDuplicateOfCol = 15
	eventDedupScopeCol  = 19
)

// eventRow returns the column values of ne's event as it stands, and its
// dedup scope when it takes part in dedup (NULL otherwise).
func (s *Store) eventRow(ne *hookhub.NewEvent) ([]any, error) {
	ev := ne.Event
	status, duplicateOf := ev.Status, ev.DuplicateOf
	var scope any
	if takesKey(ne) {
		scope = ne.DedupScope
	}
	headers := headersJSON(ev.Headers)
	vars, err := jsonText(ev.Variables)
	if err != nil {
		return nil, fmt.Errorf("event %s variables: %w", ev.ID, err)
	}
	v := ev.Verification
	return []any{ev.ID, nullStr(ev.SourceID), ev.Type, status, s.d.t(ev.ReceivedAt), ev.Method, ev.Path,
		ev.RawQuery, headers, bytesOrEmpty(ev.Body), ev.ClientIP, v.Scheme, v.Result, v.Reason,
		ev.DedupKey, duplicateOf, vars, ev.TraceParent, ev.TraceState, scope}, nil
}

// eventDefaults fills what the caller left unset and makes request text storable.
func (s *Store) eventDefaults(ne *hookhub.NewEvent) {
	ev := ne.Event
	if ev.ID == "" {
		ev.ID = hookhub.NewID(hookhub.PrefixEvent)
	}
	if ev.Status == "" {
		ev.Status = hookhub.EventAccepted
	}
	ev.ReceivedAt = s.stamp(ev.ReceivedAt)
	for _, p := range []*string{&ev.Type, &ev.Method, &ev.Path, &ev.RawQuery, &ev.ClientIP, &ev.DedupKey, &ev.TraceParent, &ev.TraceState,
		&ev.Verification.Scheme, &ev.Verification.Result, &ev.Verification.Reason} {
		*p = cleanText(*p)
	}
	if ne.DedupScope == "" {
		ne.DedupScope = ev.SourceID
		if ne.DedupScope == "" {
			ne.DedupScope = "api"
		}
	}
	for _, d := range ne.Deliveries {
		s.deliveryDefaults(d, ev)
	}
	for _, r := range ne.Runs {
		r.EventID = ev.ID
		if r.CreatedAt.IsZero() {
			r.CreatedAt = ev.ReceivedAt
		}
		s.runDefaults(r)
	}
}

func (s *Store) deliveryDefaults(d *hookhub.Delivery, ev *hookhub.Event) {
	if d.ID == "" {
		d.ID = hookhub.NewID(hookhub.PrefixDelivery)
	}
	d.EventID = ev.ID
	if d.Status == "" {
		d.Status = hookhub.DeliveryPending
	}
	if d.Trigger == "" {
		d.Trigger = hookhub.TriggerInitial
	}
	if d.NextAttemptAt.IsZero() {
		d.NextAttemptAt = ev.ReceivedAt
	}
	d.NextAttemptAt = s.stamp(d.NextAttemptAt)
	d.CreatedAt = s.stamp(d.CreatedAt)
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = d.CreatedAt
	}
	d.UpdatedAt = s.stamp(d.UpdatedAt)
}
