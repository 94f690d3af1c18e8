package filter_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/filter"
)

// FuzzFilter compiles hostile filters and runs them on hostile events: a
// filter either compiles or is refused with EINVALID, and a compiled one
// never panics on any event. A glob with no wildcard matches exactly itself.
func FuzzFilter(f *testing.F) {
	f.Add("incident.*", "critical", `event.type == "push" && event.payload.ref == "refs/heads/main"`, "push", []byte(`{"ref":"refs/heads/main"}`))
	f.Add("a.[b", "", `event.payload.x.y > 1`, "a.b", []byte(`{"x":{"y":2}}`))
	f.Add("*", " ", `size(event.headers) > 0 || event.severity in ["high"]`, "", []byte(`[1,2]`))
	f.Add("x\\", "low", `1 +`, "x", []byte(`null`))
	f.Add("pull_request.*ed", "info", `event.payload["a"][0] == "b"`, "pull_request.opened", []byte(`{"a":["b"]}`))
	f.Fuzz(func(t *testing.T, glob, severity, expr, typ string, payload []byte) {
		m, err := filter.Compile(hookhub.Filter{EventTypes: []string{glob}, Severities: []string{severity}, Expression: expr})
		if err != nil {
			if hookhub.ErrorCode(err) != hookhub.EINVALID {
				t.Fatalf("code %s: %v", hookhub.ErrorCode(err), err)
			}
			return
		}
		var body map[string]any
		json.Unmarshal(payload, &body)
		in := filter.Input{Type: typ, Severity: severity, SourceID: "src_1", Payload: body,
			Headers: map[string][]string{"X-Fuzz": {typ, severity}}}
		m.Match(in)
		m.NeedsPayload()
		if expr == "" && !strings.ContainsAny(glob, `*?[\`) && strings.TrimSpace(severity) != "" {
			in.Type = glob
			if !m.Match(in) {
				t.Fatalf("literal pattern %q does not match itself", glob)
			}
		}
	})
}
