package retry_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
)

func fixed(v float64) func() float64 { return func() float64 { return v } }

func TestNextDelay(t *testing.T) {
	t.Parallel()
	custom := hookhub.RetryPolicy{MaxRetries: 5, ScheduleSeconds: []int{1, 60}}
	tests := []struct {
		name    string
		p       hookhub.RetryPolicy
		retries int
		jitter  func() float64
		want    time.Duration
		ok      bool
	}{
		{"default first", hookhub.RetryPolicy{}, 0, nil, 10 * time.Second, true},
		{"default second", hookhub.RetryPolicy{}, 1, nil, 30 * time.Second, true},
		{"default last", hookhub.RetryPolicy{}, 9, nil, 14 * time.Hour, true},
		{"default exhausted", hookhub.RetryPolicy{}, 10, nil, 0, false},
		{"negative count is the first retry", hookhub.RetryPolicy{}, -1, nil, 10 * time.Second, true},
		{"never retry", hookhub.RetryPolicy{MaxRetries: -1}, 0, nil, 0, false},
		{"default schedule, more retries repeats last", hookhub.RetryPolicy{MaxRetries: 12}, 11, nil, 14 * time.Hour, true},
		{"default schedule, fewer retries", hookhub.RetryPolicy{MaxRetries: 3}, 3, nil, 0, false},
		{"custom first", custom, 0, nil, time.Second, true},
		{"custom repeats last", custom, 4, nil, time.Minute, true},
		{"custom exhausted", custom, 5, nil, 0, false},
		{"custom zero entry floored", hookhub.RetryPolicy{ScheduleSeconds: []int{0}}, 0, nil, time.Second, true},
		{"jitter low", hookhub.RetryPolicy{}, 0, fixed(0), 8 * time.Second, true},
		{"jitter middle", hookhub.RetryPolicy{}, 0, fixed(0.5), 10 * time.Second, true},
		{"jitter high", hookhub.RetryPolicy{}, 0, fixed(1), 12 * time.Second, true},
		{"jitter out of range clamped", hookhub.RetryPolicy{}, 0, fixed(7), 12 * time.Second, true},
	}
	for _, tt := range tests {
		got, ok := retry.NextDelay(tt.p, tt.retries, tt.jitter)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: NextDelay = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDefaultScheduleSpansAboutADay(t *testing.T) {
	t.Parallel()
	s := retry.DefaultSchedule()
	var total time.Duration
	for i, d := range s {
		if i > 0 && d <= s[i-1] {
			t.Errorf("delay %d (%v) does not grow", i, d)
		}
		total += d
	}
	if len(s) != retry.DefaultMaxRetries || total < 20*time.Hour || total > 28*time.Hour {
		t.Errorf("%d delays totalling %v, want %d over about a day", len(s), total, retry.DefaultMaxRetries)
	}
	s[0] = 0
	if retry.DefaultSchedule()[0] == 0 {
		t.Error("DefaultSchedule shares its slice")
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p       hookhub.RetryPolicy
		wantErr string
	}{
		{hookhub.RetryPolicy{}, ""},
		{hookhub.RetryPolicy{MaxRetries: -1}, ""},
		{hookhub.RetryPolicy{MaxRetries: 100, ScheduleSeconds: []int{1, 604800}}, ""},
		{hookhub.RetryPolicy{MaxRetries: 101}, "at most 100"},
		{hookhub.RetryPolicy{ScheduleSeconds: []int{10, 0}}, "entry 2 is 0 seconds"},
		{hookhub.RetryPolicy{ScheduleSeconds: []int{604801}}, "entry 1 is 604801 seconds"},
		{hookhub.RetryPolicy{ScheduleSeconds: make([]int, 101)}, "more than 100"},
	}
	for _, tt := range tests {
		err := retry.Validate(tt.p)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("Validate(%+v) = %v", tt.p, err)
			}
		} else if hookhub.ErrorCode(err) != hookhub.EINVALID || !strings.Contains(hookhub.ErrorMessage(err), tt.wantErr) {
			t.Errorf("Validate(%+v) = %v, want EINVALID containing %q", tt.p, err, tt.wantErr)
		}
	}
}
