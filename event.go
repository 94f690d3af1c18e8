package hookhub

import "time"

// Event statuses.
const (
	EventAccepted  = "accepted"
	EventRejected  = "rejected"
	EventDuplicate = "duplicate"
)

// Verification results.
const (
	VerifyVerified = "verified"
	VerifyFailed   = "failed"
	VerifyNone     = "none"
)

// Event is one received request or one published message, exactly as it arrived.
type Event struct {
	ID         string
	SourceID   string // empty for events published through the API
	Type       string
	Status     string // accepted, rejected, duplicate
	ReceivedAt time.Time

	Method   string
	Path     string
	RawQuery string
	Headers  map[string][]string
	Body     []byte // raw bytes, exactly as received
	ClientIP string

	Verification VerificationResult
	// DedupKey is the provider's delivery id (X-GitHub-Delivery, webhook-id, …) or
	// an API Idempotency-Key; a second accepted event with the same key in the same
	// scope is stored as a duplicate and never routed.
	DedupKey    string
	DuplicateOf string

	Variables map[string]any

	// TraceParent and TraceState are the W3C trace context of the span that
	// ingested the event, when tracing is on: its deliveries' attempts and
	// its workflow runs continue that trace, however much later they run.
	TraceParent string
	TraceState  string
}

// VerificationResult records whether and how a request was verified.
type VerificationResult struct {
	Scheme string
	Result string // verified, failed, none
	Reason string
}

// EventFilter selects events for listing.
type EventFilter struct {
	SourceID string
	Type     string
	Status   string
	Since    time.Time
	Until    time.Time
	// After, when set, selects events whose ID sorts after it and lists
	// them oldest first (the cursor continues forward): what a stream
	// resuming after its last event needs.
	After string
	Page  Page
}
