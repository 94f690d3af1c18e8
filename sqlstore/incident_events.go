package sqlstore

import (
	"context"

	"github.com/hookhub/hookhub"
)

// IncidentsForEvent returns the incidents whose timeline names the event.
func (s *Store) IncidentsForEvent(ctx context.Context, eventID string) ([]*hookhub.Incident, error) {
	if eventID == "" {
		return nil, nil
	}
	list, err := queryAll(ctx, s, `SELECT `+incidentCols+` FROM incidents WHERE id IN
		(SELECT incident_id FROM incident_timeline WHERE event_id = ?) ORDER BY id DESC LIMIT 100`,
		[]any{eventID}, s.scanIncident)
	return list, s.check(err, "incidents of event")
}
