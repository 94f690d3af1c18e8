package hookhub

import "time"

// Workflow runs when a webhook reaches its source: it decides what to answer and
// what to do.
type Workflow struct {
	ID        string
	Name      string
	SourceID  string
	Sync      bool // wait for the run and answer from a response node
	Enabled   bool
	CreatedAt time.Time
	UpdatedAt time.Time
}
