package sender

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/hookhub/hookhub"
)

// Describe turns an error into a short message for the attempt log and the
// logs: a deadline is said as a timeout of the attempt's length, a Hookhub
// error (the guard's refusal) by its message, and *url.Error without its
// prefix, which repeats the URL: URLs may carry tokens, and the attempt
// records its target once already.
func Describe(err error, timeout time.Duration) string {
	if errors.Is(err, context.DeadlineExceeded) {
		if timeout > 0 {
			return "timed out after " + timeout.String()
		}
		return "timed out"
	}
	var he *hookhub.Error
	if errors.As(err, &he) {
		return he.Message
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}
