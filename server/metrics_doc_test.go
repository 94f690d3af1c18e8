package server

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// TestMetricsAreDocumented: every Hookhub metric is in docs/metrics.md.
func TestMetricsAreDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/metrics.md")
	if err != nil {
		t.Fatal(err)
	}
	m := NewMetrics()
	name := regexp.MustCompile(`fqName: "(hookhub_[a-z_]+)"`)
	n := 0
	for _, c := range []prometheus.Collector{m.requests, m.latency, m.Ingested, m.Incidents} {
		ch := make(chan *prometheus.Desc, 4)
		c.Describe(ch)
		close(ch)
		for d := range ch {
			got := name.FindStringSubmatch(d.String())
			if got == nil {
				t.Fatalf("cannot read the name of %s", d)
			}
			n++
			if !strings.Contains(string(doc), "`"+got[1]+"`") {
				t.Errorf("docs/metrics.md does not describe %s", got[1])
			}
		}
	}
	if n < 4 {
		t.Fatalf("found %d metrics", n)
	}
}
