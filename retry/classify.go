package retry

// Outcome is what one attempt's result means for its delivery.
type Outcome int

// Outcomes. The zero value is Retry, the safe reading of an unknown result.
const (
	Retry   Outcome = iota // try again later, if retries are left
	Success                // the receiver accepted the event
	Disable                // the receiver is gone for good; stop and disable the destination
	Fail                   // this delivery can never succeed as it is; fail it without retrying
)

// String returns the outcome's name.
func (o Outcome) String() string {
	switch o {
	case Success:
		return "success"
	case Disable:
		return "disable"
	case Fail:
		return "fail"
	}
	return "retry"
}

// Classify reads one attempt's result. A received status decides when there
// is one: 2xx is Success, 410 Gone is Disable, and everything else — 3xx
// included, since redirects are not followed, and 4xx, since a receiver may
// be misconfigured only for a while — is Retry. With no status (statusCode
// 0), a network error, a timeout or a refused address is Retry too.
func Classify(statusCode int, err error) Outcome {
	switch {
	case statusCode == 0:
		return Retry
	case statusCode >= 200 && statusCode <= 299:
		return Success
	case statusCode == 410:
		return Disable
	}
	return Retry
}
