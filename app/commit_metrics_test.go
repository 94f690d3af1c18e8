package app

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"
)

// The group committer's totals are served on /metrics: every stored webhook
// is counted once, in at least one and at most that many commits.
func TestCommitMetrics(t *testing.T) {
	h := startHub(t, "")
	var src source
	h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "s", "type": "generic"}, &src)
	const n = 5
	for i := range n {
		if code, body := h.post("/hooks/"+src.Key, map[string]string{"Content-Type": "application/json"},
			[]byte(fmt.Sprintf(`{"n":%d}`, i))); code != 202 && code != 200 {
			t.Fatalf("webhook %d: %d %s", i, code, body)
		}
	}
	_, _, metrics := hook(t, "GET", h.url+"/metrics", nil, "")
	value := func(name string) int {
		t.Helper()
		m := regexp.MustCompile(`(?m)^` + name + ` (\S+)$`).FindStringSubmatch(metrics)
		if m == nil {
			t.Fatalf("metrics lack %s", name)
		}
		v, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return int(v)
	}
	if got := value("hookhub_ingest_committed_events_total"); got != n {
		t.Errorf("committed events %d, want %d", got, n)
	}
	if got := value("hookhub_ingest_commits_total"); got < 1 || got > n {
		t.Errorf("commits %d, want 1 to %d", got, n)
	}
	if got := value("hookhub_ingest_largest_commit_events"); got < 1 || got > n {
		t.Errorf("largest commit %d, want 1 to %d", got, n)
	}
	if got := value("hookhub_ingest_commit_failures_total"); got != 0 {
		t.Errorf("commit failures %d, want 0", got)
	}
}
