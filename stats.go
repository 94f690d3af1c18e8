package hookhub

import "time"

// Stats sums up recent activity for the console's dashboard.
type Stats struct {
	Since time.Time
	// EventsPerMinute counts events received in each minute since Since,
	// oldest first.
	EventsPerMinute []int
	// Deliveries counts deliveries created since Since by status.
	Deliveries map[string]int
	// OpenIncidents counts triggered and acknowledged incidents by severity.
	OpenIncidents map[string]int
}

// Events returns how many events the stats count.
func (s *Stats) Events() int {
	n := 0
	for _, c := range s.EventsPerMinute {
		n += c
	}
	return n
}
