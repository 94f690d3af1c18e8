package storetest

import (
	"testing"

	"github.com/hookhub/hookhub"
)

func testIncidentsForEvent(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	first := alertIn(src.ID, "a", hookhub.AlertFiring, t0)
	opened := apply(t, s, first)
	again := alertIn(src.ID, "a", hookhub.AlertFiring, t0.Add(1))
	apply(t, s, again)
	other := apply(t, s, alertIn(src.ID, "b", hookhub.AlertFiring, t0.Add(2)))
	for _, tc := range []struct {
		event string
		want  []string
	}{
		{first.EventID, []string{opened.Incident.ID}},
		{again.EventID, []string{opened.Incident.ID}},
		{"evt_unrelated", nil},
		{"", nil},
	} {
		got, err := s.IncidentsForEvent(ctx(t), tc.event)
		must(t, err)
		var ids []string
		for _, inc := range got {
			ids = append(ids, inc.ID)
		}
		equal(t, "incidents of "+tc.event, ids, tc.want)
	}
	_ = other
}
