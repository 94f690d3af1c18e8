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
