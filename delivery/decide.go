package delivery

import (
	"fmt"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
)

// verdict is what one attempt means for its delivery.
type verdict struct {
	status    string    // succeeded, pending (retry at next) or failed
	next      time.Time // when status is pending
	lastError string    // "" on success
	disable   bool      // the receiver is gone: disable the destination
	exhausted bool      // failed because no retry is left
}

// orderingNote says, for the attempt log, what an ordered delivery's verdict
// means for the deliveries behind it with the same ordering key: a retry
// holds them, a final failure lets them go. It is "" otherwise.
func orderingNote(d *hookhub.Delivery, v verdict) string {
	if !d.Ordered {
		return ""
	}
	switch v.status {
	case hookhub.DeliveryPending:
		return fmt.Sprintf("ordered: later deliveries with ordering key %q wait until this one succeeds or fails for good (next attempt %s)",
			d.OrderingKey, v.next.UTC().Format(time.RFC3339))
	case hookhub.DeliveryFailed:
		return fmt.Sprintf("ordered: failed for good; later deliveries with ordering key %q go on", d.OrderingKey)
	}
	return ""
}

// joinNote adds a note to an attempt's error text.
func joinNote(text, note string) string {
	if text == "" {
		return note
	}
	return text + "; " + note
}

// decide turns the result of attempt number n into the delivery's next state.
// A failed attempt waits what the retry policy says or, if longer, what the
// sender asked for (a receiver's Retry-After, a broker's throttling).
func decide(p hookhub.RetryPolicy, n int, res sender.Result, now time.Time, jitter func() float64) verdict {
	why := orText(res.Reason, orText(res.Error, "no response"))
	switch res.Outcome {
	case retry.Success:
		return verdict{status: hookhub.DeliverySucceeded}
	case retry.Disable:
		return verdict{status: hookhub.DeliveryFailed, lastError: why, disable: true}
	case retry.Fail:
		return verdict{status: hookhub.DeliveryFailed, lastError: why}
	}
	delay, ok := retry.NextDelay(p, n-1, jitter)
	if !ok {
		return verdict{status: hookhub.DeliveryFailed, lastError: why, exhausted: true}
	}
	return verdict{status: hookhub.DeliveryPending, next: now.Add(max(delay, res.RetryAfter)), lastError: why}
}
