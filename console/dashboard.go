package console

import (
	"net/http"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// dashboardView sums up the last hour.
type dashboardView struct {
	Stats         *hookhub.Stats
	PerMinute     float64
	Bars          []int // sparkline heights in tenths
	Succeeded     int
	Failed        int
	Pending       int
	Severities    []string
	OpenTotal     int
	Troubled      []*hookhub.Destination // disabled, paused or failing
	Destinations  int
	SinceDuration string
}

// dashboardWindow is how far back the dashboard looks.
const dashboardWindow = time.Hour

func (c *Console) handleDashboard(w http.ResponseWriter, r *http.Request) {
	st, err := c.store.Stats(r.Context(), c.now().Add(-dashboardWindow))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	v := dashboardView{Stats: st, SinceDuration: "hour", Succeeded: st.Deliveries[hookhub.DeliverySucceeded],
		Failed: st.Deliveries[hookhub.DeliveryFailed], Pending: st.Deliveries[hookhub.DeliveryPending],
		Severities: []string{hookhub.SeverityCritical, hookhub.SeverityHigh, hookhub.SeverityMedium, hookhub.SeverityLow, hookhub.SeverityInfo}}
	v.PerMinute = float64(st.Events()) / dashboardWindow.Minutes()
	v.Bars = sparkline(st.EventsPerMinute)
	for _, n := range st.OpenIncidents {
		v.OpenTotal += n
	}
	dests, err := c.allDestinations(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	v.Destinations = len(dests)
	for _, d := range dests {
		if !d.Enabled || d.Paused || d.ConsecutiveFailures > 0 {
			v.Troubled = append(v.Troubled, d)
		}
	}
	c.render(w, r, http.StatusOK, "dashboard", view{Title: "Dashboard", Nav: "dashboard", Data: v})
}

// sparkline scales counts to tenths of the largest (CSS classes h0…h10: the
// CSP allows no inline styles).
func sparkline(counts []int) []int {
	top := 0
	for _, n := range counts {
		top = max(top, n)
	}
	out := make([]int, len(counts))
	for i, n := range counts {
		if top > 0 {
			out[i] = (n*10 + top - 1) / top
		}
	}
	return out
}

// allDestinations reads every destination: a hub has tens, not thousands.
func (c *Console) allDestinations(r *http.Request) ([]*hookhub.Destination, error) {
	var all []*hookhub.Destination
	p := hookhub.Page{Limit: 500}
	for {
		list, next, err := c.store.ListDestinations(r.Context(), p)
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
		if next == "" || len(all) >= 5000 {
			return all, nil
		}
		p.Cursor = next
	}
}
