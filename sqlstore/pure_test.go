package sqlstore

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

func TestRebind(t *testing.T) {
	for _, tc := range []struct{ in, sqlite, postgres string }{
		{"SELECT 1", "SELECT 1", "SELECT 1"},
		{"a = ? AND b IN (?, ?)", "a = ? AND b IN (?, ?)", "a = $1 AND b IN ($2, $3)"},
		{"x = '?' AND y = ?", "x = '?' AND y = ?", "x = '?' AND y = $1"},
		{"x = 'it''s ?' OR y = ?", "x = 'it''s ?' OR y = ?", "x = 'it''s ?' OR y = $1"},
	} {
		if got := SQLite().rebind(tc.in); got != tc.sqlite {
			t.Errorf("sqlite rebind(%q) = %q, want %q", tc.in, got, tc.sqlite)
		}
		if got := Postgres().rebind(tc.in); got != tc.postgres {
			t.Errorf("postgres rebind(%q) = %q, want %q", tc.in, got, tc.postgres)
		}
	}
}

func TestIsDuplicate(t *testing.T) {
	at := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	held := func(ago time.Duration) hold { return hold{eventID: "evt_a", since: at.Add(-ago)} }
	for _, tc := range []struct {
		name   string
		h      hold
		id     string
		window time.Duration
		want   bool
	}{
		{"nobody holds the key", hold{}, "evt_b", time.Hour, false},
		{"the holder itself", held(0), "evt_a", time.Hour, false},
		{"held within the window", held(59 * time.Minute), "evt_b", time.Hour, true},
		{"held exactly one window ago", held(time.Hour), "evt_b", time.Hour, true},
		{"held longer than the window", held(time.Hour + time.Microsecond), "evt_b", time.Hour, false},
		{"no window: held forever", held(1000 * time.Hour), "evt_b", 0, true},
		{"held since after the event (out of order)", held(-time.Minute), "evt_b", time.Hour, true},
	} {
		if got := isDuplicate(tc.h, tc.id, at, tc.window); got != tc.want {
			t.Errorf("%s: isDuplicate = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestFailureCounts(t *testing.T) {
	updated := map[string]updatedDelivery{"d1": {destinationID: "a"}, "d2": {destinationID: "a"},
		"d3": {destinationID: "a"}, "d4": {destinationID: "b"}, "d5": {destinationID: "c"}}
	result := func(delivery, status string) *hookhub.AttemptResult {
		return &hookhub.AttemptResult{Attempt: hookhub.Attempt{DeliveryID: delivery}, Status: status}
	}
	got := failureCounts([]*hookhub.AttemptResult{
		result("d1", hookhub.DeliveryFailed), result("d2", hookhub.DeliverySucceeded), result("d3", hookhub.DeliveryFailed),
		result("d4", hookhub.DeliveryPending), result("d5", hookhub.DeliveryFailed), result("gone", hookhub.DeliveryFailed),
	}, updated)
	want := map[string]failureCount{"a": {reset: true, add: 1}, "b": {}, "c": {add: 1}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("failureCounts = %+v, want %+v", got, want)
	}
}

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"plain":    "plain",
		"é ü":      "é ü",
		"a\x00b":   "a\uFFFDb",
		"a\xffb":   "a\uFFFDb",
		"\xfe\xff": "\uFFFD",
	} {
		if got := cleanText(in); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMigrationsAreNumbered(t *testing.T) {
	for _, d := range []Dialect{SQLite(), Postgres()} {
		ms, err := d.Migrations()
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		for i, m := range ms {
			if m.Version != i+1 {
				t.Errorf("%s: migration %s has version %d, want %d (no gaps)", d.Name, m.Name, m.Version, i+1)
			}
		}
	}
	sqlite, _ := SQLite().Migrations()
	postgres, _ := Postgres().Migrations()
	if len(sqlite) != len(postgres) {
		t.Fatalf("%d SQLite migrations but %d PostgreSQL ones: every change needs both", len(sqlite), len(postgres))
	}
	for i := range sqlite {
		if sqlite[i].Name != postgres[i].Name {
			t.Errorf("migration %d is %s on SQLite but %s on PostgreSQL", i+1, sqlite[i].Name, postgres[i].Name)
		}
	}
}

func TestSizedChunks(t *testing.T) {
	for _, tc := range []struct {
		n, max int
		want   []int
	}{
		{0, 64, nil},
		{1, 64, []int{1}},
		{100, 64, []int{64, 32, 4}},
		{100, 500, []int{64, 32, 4}},
		{300, 100, []int{64, 64, 64, 64, 32, 8, 4}},
		{7, 1, []int{1, 1, 1, 1, 1, 1, 1}},
	} {
		got := sizedChunks(tc.n, tc.max)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("sizedChunks(%d, %d) = %v, want %v", tc.n, tc.max, got, tc.want)
		}
		sum := 0
		for _, c := range got {
			sum += c
		}
		if sum != tc.n {
			t.Errorf("sizedChunks(%d, %d) covers %d items", tc.n, tc.max, sum)
		}
	}
}

// TestEventRowColumns checks that eventRow has a value for each column it is
// inserted under, and that the columns dedup changes are where it changes them.
func TestEventRowColumns(t *testing.T) {
	s := New(SQLite(), nil, nil, nil)
	ne := &hookhub.NewEvent{Event: &hookhub.Event{ID: "evt_1", Status: hookhub.EventAccepted, DedupKey: "k"}, DedupScope: "api"}
	row, err := s.eventRow(ne)
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for _, c := range strings.Split(eventCols+", dedup_scope", ",") {
		cols = append(cols, strings.TrimSpace(c))
	}
	if len(row) != len(cols) {
		t.Fatalf("eventRow has %d values for %d columns", len(row), len(cols))
	}
	for name, i := range map[string]int{"status": eventStatusCol, "duplicate_of": eventDuplicateOfCol, "dedup_scope": eventDedupScopeCol} {
		if cols[i] != name {
			t.Errorf("column %d is %s, want %s", i, cols[i], name)
		}
	}
	if row[eventDedupScopeCol] != "api" {
		t.Errorf("dedup_scope of a keyed accepted event = %v, want its scope", row[eventDedupScopeCol])
	}
}
