// Package storetest is the conformance suite of hookhub.Store: every
// implementation runs the same tests, so that SQLite and PostgreSQL behave
// alike. Call Run from the implementation's tests.
package storetest

import (
	"testing"

	"github.com/hookhub/hookhub"
)

// test is one conformance test; it gets a fresh, empty store.
type test struct {
	name string
	fn   func(t *testing.T, s hookhub.Store)
}

// Run runs the suite. open must return a fresh, empty, migrated store for the
// test and close it in t.Cleanup. Tests run in parallel, each on its own store.
func Run(t *testing.T, open func(t *testing.T) hookhub.Store) {
	var all []test
	for _, group := range [][]test{
		readyTests, sourceTests, destinationTests, eventTests, dedupTests,
		queueTests, attemptTests, leaseTests, updateTests, requeueTests, pruneTests, userTests, bootstrapTests, incidentTests,
		alertEventTests,
		workflowTests, runTests, statsTests, orderingTests,
	} {
		all = append(all, group...)
	}
	for _, tc := range all {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

var readyTests = []test{
	{"Ready", func(t *testing.T, s hookhub.Store) {
		if err := s.Ready(ctx(t)); err != nil {
			t.Fatalf("Ready on a migrated store: %v", err)
		}
	}},
}
