package reliability

import (
	"testing"
	"time"
)

// TestDatabaseStall stalls PostgreSQL behind the proxy for longer than
// ingest may take to answer (connections open, no byte passes, as a hung
// server or a partition does), then cuts it off: ingest must answer 503
// within maxAnswer while the database hangs, and recover by itself.
func TestDatabaseStall(t *testing.T) {
	runOutage(t,
		dbFault{"stalled", (*proxy).stall, 12 * time.Second},
		dbFault{"cut off", (*proxy).cut, 4 * time.Second})
}
