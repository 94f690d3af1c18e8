package hookhub

import (
	"strings"
	"testing"
	"time"
)

func TestNewIDSortsByTime(t *testing.T) {
	t0 := time.UnixMilli(1_700_000_000_000)
	prev := ""
	for i := 0; i < 100; i++ {
		id := newIDAt(PrefixEvent, t0.Add(time.Duration(i)*time.Millisecond))
		if !strings.HasPrefix(id, "evt_") || len(id) != 30 {
			t.Fatalf("bad id %q", id)
		}
		if id <= prev {
			t.Fatalf("id %q does not sort after %q", id, prev)
		}
		prev = id
	}
}

func TestNewIDUnique(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 10000; i++ {
		id := NewID(PrefixDelivery)
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
	}
}

// TestNewIDMonotonic: IDs made in the same millisecond, or after the clock
// stepped back, still sort in the order they were made.
func TestNewIDMonotonic(t *testing.T) {
	var src idSource
	t0 := time.UnixMilli(1_700_000_000_000)
	prev := ""
	for i, at := range []time.Time{t0, t0, t0, t0.Add(-time.Second), t0.Add(time.Millisecond), t0.Add(time.Millisecond)} {
		id := src.next(PrefixEvent, at)
		if id <= prev {
			t.Fatalf("id %d %q does not sort after %q", i, id, prev)
		}
		prev = id
	}
	for range 10000 {
		id := NewID(PrefixEvent)
		if id <= prev {
			t.Fatalf("NewID %q does not sort after %q", id, prev)
		}
		prev = id
	}
}

func TestIncrementCarries(t *testing.T) {
	raw := [16]byte{0: 1, 15: 0xff, 14: 0xff}
	increment(&raw)
	if raw[15] != 0 || raw[14] != 0 || raw[13] != 1 || raw[0] != 1 {
		t.Fatalf("increment carried wrongly: %x", raw)
	}
}
