package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestPrintStream(t *testing.T) {
	in := ": connected\n\n" +
		"id: evt_1\nevent: event\ndata: {\"id\":\"evt_1\",\"source_id\":\"src_1\",\"type\":\"push\",\"status\":\"accepted\",\"received_at\":\"2026-01-02T03:04:05Z\",\"verification\":{\"result\":\"verified\"}}\n\n" +
		": keep-alive\n\n" +
		"data: {\"id\":\"evt_2\",\"status\":\"rejected\",\"received_at\":\"2026-01-02T03:04:06Z\",\"verification\":{\"result\":\"failed\",\"reason\":\"signature mismatch\"}}\n\n"
	var out bytes.Buffer
	if err := printStream(strings.NewReader(in), &out, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "evt_1") || !strings.Contains(lines[0], "push") ||
		!strings.Contains(lines[1], "signature mismatch") {
		t.Fatalf("unexpected output:\n%s", out.String())
	}
	out.Reset()
	printStream(strings.NewReader(in), &out, true)
	if strings.Count(out.String(), "\n") != 2 || !strings.HasPrefix(out.String(), `{"id":"evt_1"`) {
		t.Fatalf("json output:\n%s", out.String())
	}
}
