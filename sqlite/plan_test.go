package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestClaimUsesDueIndex guards the queue's speed: finding due deliveries must
// read the partial index of pending deliveries, not scan the table.
func TestClaimUsesDueIndex(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "hookhub.db")
	open(t, path).Close()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`EXPLAIN QUERY PLAN SELECT id FROM deliveries
		WHERE status = 'pending' AND held = FALSE AND (ordering_key IS NULL OR head = TRUE)
		AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
		ORDER BY next_attempt_at LIMIT ?`, 1, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if got := strings.Join(plan, "; "); !strings.Contains(got, "deliveries_due") || strings.Contains(got, "TEMP B-TREE") {
		t.Fatalf("claim plan %q does not walk the deliveries_due index in order", got)
	}
}

// TestOrderedProbesUseIndexes guards ordered claims: each check of an
// ordering key is one index probe, never a walk of the key's queue.
func TestOrderedProbesUseIndexes(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "hookhub.db")
	open(t, path).Close()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for query, index := range map[string]string{
		`SELECT 1 FROM deliveries b WHERE b.destination_id = ? AND b.ordering_key = ? AND b.status = 'pending' AND b.seq < ?`: "deliveries_ordered",
		`SELECT 1 FROM deliveries b WHERE b.destination_id = ? AND b.ordering_key = ? AND b.status = 'pending'
			AND b.lease_until IS NOT NULL AND b.lease_until > ? AND b.id <> ?`: "deliveries_ordered_leased",
	} {
		args := make([]any, strings.Count(query, "?"))
		for i := range args {
			args[i] = 1
		}
		rows, err := db.Query("EXPLAIN QUERY PLAN "+query, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			rows.Scan(&id, &parent, &unused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		if got := strings.Join(plan, "; "); !strings.Contains(got, index) {
			t.Errorf("plan %q of %q does not use %s", got, query, index)
		}
	}
}
