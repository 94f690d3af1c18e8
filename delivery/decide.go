package delivery

import (
	"fmt"
	"net/http"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
)

// goneReason is why a destination is disabled when its receiver answers 410.
const goneReason = "receiver answered 410 Gone"

// verdict is what one attempt means for its delivery.
type verdict struct {
	status    string    // succeeded, pending (retry at next) or failed
	next      time.Time // when status is pending
	lastError string    // "" on success
	disable   bool      // the receiver is gone: disable the destination
	exhausted bool      // failed because no retry is left
}

// decide turns the answer to attempt number n into the delivery's next state.
// A failed attempt waits what the retry policy says or, on 429 and 503, what
// the receiver asked in Retry-After if that is longer (within retry's bounds).
func decide(p hookhub.RetryPolicy, n int, ans answer, errText string, now time.Time, jitter func() float64) verdict {
	switch retry.Classify(ans.status, ans.err) {
	case retry.Success:
		return verdict{status: hookhub.DeliverySucceeded}
	case retry.Disable:
		return verdict{status: hookhub.DeliveryFailed, lastError: goneReason, disable: true}
	}
	lastErr := failureText(ans, errText)
	delay, ok := retry.NextDelay(p, n-1, jitter)
	if !ok {
		return verdict{status: hookhub.DeliveryFailed, lastError: lastErr, exhausted: true}
	}
	if ans.status == http.StatusTooManyRequests || ans.status == http.StatusServiceUnavailable {
		if asked, ok := retry.RetryAfter(ans.headers, now); ok {
			delay = max(delay, asked)
		}
	}
	return verdict{status: hookhub.DeliveryPending, next: now.Add(delay), lastError: lastErr}
}

// failureText says why an attempt did not succeed, for the delivery's last error.
func failureText(ans answer, errText string) string {
	if ans.status != 0 {
		return fmt.Sprintf("receiver answered %d %s", ans.status, http.StatusText(ans.status))
	}
	if errText != "" {
		return errText
	}
	return "no response"
}
