// Package retry holds the pure decisions of delivery retries: how long to
// wait before the next attempt, which responses are worth retrying, and how
// much of a receiver's Retry-After to honor.
//
// A worker combines them: after a failed attempt it asks Classify what the
// response means, NextDelay how long the policy waits, and, on 429 or 503,
// RetryAfter what the receiver asked for; it waits the longer of the two, so
// a receiver's request never shortens the schedule and never costs a retry.
package retry

import (
	"time"

	"github.com/hookhub/hookhub"
)

// DefaultMaxRetries is the number of retries after the first attempt when a
// policy leaves MaxRetries at 0.
const DefaultMaxRetries = 10

// Jitter is the spread applied to each delay, ±20%, so deliveries that failed
// together (a receiver outage) do not all come back in the same second.
const Jitter = 0.2

// Bounds a policy must stay within; see Validate.
const (
	MaxRetriesLimit = 100
	MaxDelay        = 7 * 24 * time.Hour
)

// DefaultSchedule returns the delays before retries 1 to 10: 10s, 30s, 2m,
// 5m, 15m, 30m, 1h, 2h, 6h, 14h. They grow roughly threefold and add up to
// about 23h54m, so the last retry of a delivery lands about a day after the
// first attempt: short blips recover within minutes and a receiver that is
// down overnight still gets its events.
func DefaultSchedule() []time.Duration {
	return []time.Duration{
		10 * time.Second, 30 * time.Second, 2 * time.Minute, 5 * time.Minute,
		15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour,
		6 * time.Hour, 14 * time.Hour,
	}
}

// NextDelay returns how long to wait before the next retry of a delivery
// that has been retried retriesSoFar times, and false when no retry is left.
//
// MaxRetries 0 means DefaultMaxRetries and a negative MaxRetries means never
// retry. Entry i of the schedule (ScheduleSeconds, or DefaultSchedule when
// empty) is the delay before retry i+1; the last entry repeats when
// MaxRetries outlasts the schedule. jitter returns a value in [0, 1), as
// rand.Float64 does, and scales the delay by 1±Jitter; nil means no jitter.
func NextDelay(p hookhub.RetryPolicy, retriesSoFar int, jitter func() float64) (time.Duration, bool) {
	if retriesSoFar < 0 {
		retriesSoFar = 0
	}
	if retriesSoFar >= maxRetries(p) {
		return 0, false
	}
	schedule := scheduleOf(p)
	base := schedule[min(retriesSoFar, len(schedule)-1)]
	return applyJitter(base, jitter), true
}

func maxRetries(p hookhub.RetryPolicy) int {
	switch {
	case p.MaxRetries == 0:
		return DefaultMaxRetries
	case p.MaxRetries < 0:
		return 0
	}
	return p.MaxRetries
}

func scheduleOf(p hookhub.RetryPolicy) []time.Duration {
	if len(p.ScheduleSeconds) == 0 {
		return DefaultSchedule()
	}
	out := make([]time.Duration, len(p.ScheduleSeconds))
	for i, s := range p.ScheduleSeconds {
		// A policy that skipped Validate still never retries in a hot loop
		// or waits past MaxDelay.
		out[i] = min(max(time.Duration(s)*time.Second, time.Second), MaxDelay)
	}
	return out
}

func applyJitter(d time.Duration, jitter func() float64) time.Duration {
	if jitter == nil {
		return d
	}
	j := min(max(jitter(), 0), 1)
	return time.Duration(float64(d) * (1 + Jitter*(2*j-1)))
}

// Validate checks a policy when a destination is saved: MaxRetries at most
// MaxRetriesLimit, and each scheduled delay from 1 second to MaxDelay.
func Validate(p hookhub.RetryPolicy) error {
	if p.MaxRetries > MaxRetriesLimit {
		return hookhub.Errorf(hookhub.EINVALID, "max_retries must be at most %d", MaxRetriesLimit)
	}
	if len(p.ScheduleSeconds) > MaxRetriesLimit {
		return hookhub.Errorf(hookhub.EINVALID, "retry schedule has more than %d entries", MaxRetriesLimit)
	}
	for i, s := range p.ScheduleSeconds {
		if s < 1 || time.Duration(s)*time.Second > MaxDelay {
			return hookhub.Errorf(hookhub.EINVALID,
				"retry schedule entry %d is %d seconds; each delay must be from 1 to %d seconds", i+1, s, int(MaxDelay.Seconds()))
		}
	}
	return nil
}
