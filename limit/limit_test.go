package limit

import (
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func TestTake(t *testing.T) {
	r := Rate{PerSecond: 2, Burst: 3}
	type step struct {
		at     time.Duration // since t0
		ok     bool
		wait   time.Duration
		tokens float64
	}
	tests := []struct {
		name  string
		rate  Rate
		steps []step
	}{
		{"a new bucket is full, then empties", r, []step{
			{0, true, 0, 2}, {0, true, 0, 1}, {0, true, 0, 0}, {0, false, 500 * time.Millisecond, 0}}},
		{"tokens come back at the rate", r, []step{
			{0, true, 0, 2}, {0, true, 0, 1}, {0, true, 0, 0}, {250 * time.Millisecond, false, 250 * time.Millisecond, 0.5},
			{500 * time.Millisecond, true, 0, 0}}},
		{"refill stops at the burst", r, []step{{0, true, 0, 2}, {time.Hour, true, 0, 2}}},
		{"default burst is one second's worth", Rate{PerSecond: 2.5}, []step{
			{0, true, 0, 2}, {0, true, 0, 1}, {0, true, 0, 0}, {0, false, 400 * time.Millisecond, 0}}},
		{"slow rates keep a burst of one", Rate{PerSecond: 0.1}, []step{
			{0, true, 0, 0}, {time.Second, false, 9 * time.Second, 0.1}, {10 * time.Second, true, 0, 0}}},
		{"a clock going back earns nothing", r, []step{
			{time.Second, true, 0, 2}, {0, true, 0, 1}, {0, true, 0, 0}, {0, false, 500 * time.Millisecond, 0}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bucket
			for i, s := range tc.steps {
				var ok bool
				var wait time.Duration
				b, ok, wait = take(b, tc.rate, t0.Add(s.at))
				if ok != s.ok || wait != s.wait || abs(b.tokens-s.tokens) > 1e-9 {
					t.Fatalf("step %d: ok=%v wait=%s tokens=%.3f, want %v %s %.3f", i, ok, wait, b.tokens, s.ok, s.wait, s.tokens)
				}
			}
		})
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func TestRatesAreKeyedAndUnlimitedByDefault(t *testing.T) {
	rs := NewRates()
	one := Rate{PerSecond: 1, Burst: 1}
	if ok, _ := rs.Allow("a", one, t0); !ok {
		t.Fatal("first request refused")
	}
	if ok, wait := rs.Allow("a", one, t0); ok || wait != time.Second {
		t.Fatalf("second request: ok=%v wait=%s", ok, wait)
	}
	if ok, _ := rs.Allow("b", one, t0); !ok {
		t.Fatal("another key shares the bucket")
	}
	for range 1000 {
		if ok, _ := rs.Allow("c", Rate{}, t0); !ok {
			t.Fatal("an unlimited rate refused")
		}
	}
	if len(rs.m) != 2 {
		t.Fatalf("%d buckets kept, want 2", len(rs.m))
	}
}

func TestRatesForgetFullBuckets(t *testing.T) {
	rs := NewRates()
	r := Rate{PerSecond: 10}
	for i := range maxBuckets {
		rs.Allow(string(rune(i+1000)), r, t0)
	}
	rs.Allow("late", r, t0.Add(time.Minute)) // every earlier bucket has refilled
	if len(rs.m) != 1 {
		t.Fatalf("%d buckets kept after the sweep, want 1", len(rs.m))
	}
}

func TestGateCapsRequestsAndBytes(t *testing.T) {
	g := NewGate(2, 100)
	a, err := g.Enter(60)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Enter(41); hookhub.ErrorCode(err) != hookhub.EUNAVAILABLE {
		t.Fatalf("over the byte cap: %v", err)
	}
	b, err := g.Enter(40)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Enter(0); err != ErrBusy {
		t.Fatalf("over the request cap: %v", err)
	}
	a.Release()
	a.Release()
	if n, bytes := g.InFlight(); n != 1 || bytes != 40 {
		t.Fatalf("after release: %d requests, %d bytes", n, bytes)
	}
	b.Release()
	if n, bytes := g.InFlight(); n != 0 || bytes != 0 {
		t.Fatalf("after both: %d requests, %d bytes", n, bytes)
	}
}

func TestGateCountsUndeclaredBodiesAsTheyArrive(t *testing.T) {
	g := NewGate(10, 3*growStep)
	tk, _ := g.Enter(0)
	body, err := io.ReadAll(tk.Body(io.NopCloser(strings.NewReader(strings.Repeat("x", 2*growStep)))))
	if err != nil || len(body) != 2*growStep {
		t.Fatalf("read %d bytes: %v", len(body), err)
	}
	if _, bytes := g.InFlight(); bytes < 2*growStep || bytes > 3*growStep {
		t.Fatalf("%d bytes held for a body of %d", bytes, 2*growStep)
	}
	other, _ := g.Enter(0)
	_, err = io.ReadAll(other.Body(io.NopCloser(strings.NewReader(strings.Repeat("y", 2*growStep)))))
	if err != ErrBusy {
		t.Fatalf("a body past the cap: %v", err)
	}
	tk.Release()
	other.Release()
	if n, bytes := g.InFlight(); n != 0 || bytes != 0 {
		t.Fatalf("after release: %d requests, %d bytes", n, bytes)
	}
}

func TestGateConcurrentUse(t *testing.T) {
	g := NewGate(8, 1<<20)
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if tk, err := g.Enter(100); err == nil {
					io.ReadAll(tk.Body(io.NopCloser(strings.NewReader(strings.Repeat("z", 300)))))
					tk.Release()
				}
			}
		}()
	}
	wg.Wait()
	if n, bytes := g.InFlight(); n != 0 || bytes != 0 {
		t.Fatalf("left %d requests, %d bytes", n, bytes)
	}
}
