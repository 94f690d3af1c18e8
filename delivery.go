package hookhub

import "time"

// Delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliverySucceeded = "succeeded"
	DeliveryFailed    = "failed"
)

// Attempt triggers: what caused an attempt.
const (
	TriggerInitial = "initial"
	TriggerRetry   = "retry"
	TriggerManual  = "manual"
	TriggerTest    = "test"
	TriggerPing    = "ping"
)

// Delivery is one event on its way to one destination. Its ID is sent as
// X-Hookhub-Delivery and webhook-id and stays the same across retries.
type Delivery struct {
	ID            string
	EventID       string
	DestinationID string
	Status        string
	Trigger       string // trigger of the next attempt
	AttemptCount  int
	NextAttemptAt time.Time
	LastError     string
	// Ordered marks a delivery to a destination with ordering "fifo":
	// within its destination and OrderingKey it goes out after every
	// earlier one has succeeded or failed for good, and never while
	// another is being sent.
	Ordered     bool
	OrderingKey string
	// Held marks a pending delivery waiting for its paused destination to
	// be resumed; it is not attempted until then.
	Held bool
	// LeaseToken names the claim that holds the delivery: a fresh one is
	// set by every ClaimDeliveries, "" when no claim holds it.
	LeaseToken string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Attempt is one try of a delivery — an HTTP request, or a publish to a
// broker — and what came back, within the limits that Limit applies.
type Attempt struct {
	ID         string
	DeliveryID string
	Number     int
	Trigger    string
	// Target is where it went: the webhook URL, or the broker and its
	// subject, topic or stream, with credentials masked.
	Target string
	// RequestHeaders are the request's headers, or the message's headers,
	// properties or fields besides the body; secrets masked.
	RequestHeaders map[string][]string
	// StatusCode and ResponseHeaders are the HTTP answer (webhooks only).
	StatusCode      int
	ResponseHeaders map[string][]string
	// ResponseBody is the receiver's body (first MaxAttemptBody bytes) or
	// the broker's confirmation, such as the stream sequence it stored the
	// message at.
	ResponseBody string
	DurationMS   int64
	Error        string
	StartedAt    time.Time
	// Truncated names the parts cut to the limits (Truncated* constants).
	Truncated []string
}

// DeliveryFilter selects deliveries for listing.
type DeliveryFilter struct {
	DestinationID string
	EventID       string
	Status        string
	Since         time.Time
	Until         time.Time
	Page          Page
}

// AttemptResult is what a worker reports after one attempt: the attempt itself and
// the delivery's next state.
type AttemptResult struct {
	Attempt       Attempt
	Status        string    // pending (retry later), succeeded or failed
	NextAttemptAt time.Time // when Status is pending
	LastError     string
	// LeaseToken is the token of the claim the attempt was made under (""
	// for a delivery sent without a claim). The result counts only while
	// the delivery is pending under that token: a late result, after the
	// delivery finished or was claimed again, changes nothing.
	LeaseToken string
	// Announce, when set, is stored with the result if it counts, in the
	// same transaction: the event announcing a delivery that failed for good.
	Announce *NewEvent
	// Stale is set by CompleteAttempts on a result that did not count: its
	// lease was lost, or its delivery finished or no longer exists.
	Stale bool
}
