package retry_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/hookhub/hookhub/retry"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	netErr := errors.New("dial tcp: connection refused")
	tests := []struct {
		status int
		err    error
		want   retry.Outcome
	}{
		{200, nil, retry.Success},
		{202, nil, retry.Success},
		{204, nil, retry.Success},
		{299, nil, retry.Success},
		{200, context.DeadlineExceeded, retry.Success}, // the response arrived; a late body read does not undo it
		{0, netErr, retry.Retry},
		{0, context.DeadlineExceeded, retry.Retry},
		{0, nil, retry.Retry},
		{100, nil, retry.Retry},
		{301, nil, retry.Retry},
		{302, nil, retry.Retry},
		{304, nil, retry.Retry},
		{400, nil, retry.Retry},
		{401, nil, retry.Retry},
		{404, nil, retry.Retry},
		{410, nil, retry.Disable},
		{429, nil, retry.Retry},
		{500, nil, retry.Retry},
		{503, nil, retry.Retry},
	}
	for _, tt := range tests {
		if got := retry.Classify(tt.status, tt.err); got != tt.want {
			t.Errorf("Classify(%d, %v) = %v, want %v", tt.status, tt.err, got, tt.want)
		}
	}
}

func TestOutcomeString(t *testing.T) {
	t.Parallel()
	var zero retry.Outcome
	for o, want := range map[retry.Outcome]string{zero: "retry", retry.Success: "success", retry.Disable: "disable", retry.Fail: "fail"} {
		if o.String() != want {
			t.Errorf("%d.String() = %q, want %q", o, o.String(), want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"", 0, false},
		{"120", 2 * time.Minute, true},
		{" 30 ", 30 * time.Second, true},
		{"0", time.Second, true},
		{"3600", time.Hour, true},
		{"86400", time.Hour, true},
		{"99999999999999999999999", time.Hour, true},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"12abc", 0, false},
		{"soon", 0, false},
		{"Sat, 01 Mar 2025 12:05:00 GMT", 5 * time.Minute, true},
		{"Saturday, 01-Mar-25 12:00:30 GMT", 30 * time.Second, true}, // RFC 850, still accepted
		{"Sat Mar  1 12:10:00 2025", 10 * time.Minute, true},         // asctime
		{"Sat, 01 Mar 2025 11:00:00 GMT", time.Second, true},         // in the past
		{"Sun, 02 Mar 2025 12:00:00 GMT", time.Hour, true},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.value != "" {
			h.Set("Retry-After", tt.value)
		}
		got, ok := retry.RetryAfter(h, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tt.value, got, ok, tt.want, tt.ok)
		}
	}
}
