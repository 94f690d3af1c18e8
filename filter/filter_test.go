package filter_test

import (
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/filter"
)

// push is a GitHub push event as a filter sees it.
var push = filter.Input{
	Type:     "push",
	Severity: "info",
	SourceID: "src_github",
	Payload: map[string]any{
		"ref":        "refs/heads/main",
		"forced":     false,
		"commits":    []any{map[string]any{"id": "a1"}, map[string]any{"id": "b2"}},
		"repository": map[string]any{"full_name": "hookhub/hookhub", "stargazers_count": float64(42)},
	},
	Headers: map[string][]string{"X-Github-Event": {"push"}, "X-Multi": {"a", "b"}},
}

func with(in filter.Input, typ, severity string) filter.Input {
	in.Type, in.Severity = typ, severity
	return in
}

func TestMatch(t *testing.T) {
	t.Parallel()
	incident := with(push, "incident.triggered", "critical")
	tests := []struct {
		name string
		f    hookhub.Filter
		in   filter.Input
		want bool
	}{
		{"empty filter matches all", hookhub.Filter{}, push, true},
		{"exact type", hookhub.Filter{EventTypes: []string{"push"}}, push, true},
		{"other type", hookhub.Filter{EventTypes: []string{"issues"}}, push, false},
		{"any of several types", hookhub.Filter{EventTypes: []string{"issues", "push"}}, push, true},
		{"star matches all", hookhub.Filter{EventTypes: []string{"*"}}, push, true},
		{"prefix glob", hookhub.Filter{EventTypes: []string{"incident.*"}}, incident, true},
		{"prefix glob not the bare prefix", hookhub.Filter{EventTypes: []string{"incident.*"}}, with(push, "incident", ""), false},
		{"prefix glob deeper", hookhub.Filter{EventTypes: []string{"incident.*"}}, with(push, "incident.note.added", ""), true},
		{"prefix glob other prefix", hookhub.Filter{EventTypes: []string{"incident.*"}}, with(push, "incidents.x", ""), false},
		{"inner star within one segment", hookhub.Filter{EventTypes: []string{"*.triggered"}}, incident, true},
		{"inner star does not cross dots", hookhub.Filter{EventTypes: []string{"*.triggered"}}, with(push, "a.b.triggered", ""), false},
		{"partial segment glob", hookhub.Filter{EventTypes: []string{"pull_request.*ed"}}, with(push, "pull_request.opened", ""), true},
		{"question mark", hookhub.Filter{EventTypes: []string{"v?.push"}}, with(push, "v2.push", ""), true},
		{"class", hookhub.Filter{EventTypes: []string{"alert.[fr]*"}}, with(push, "alert.resolved", ""), true},
		{"slash is ordinary", hookhub.Filter{EventTypes: []string{"repo.*"}}, with(push, "repo.a/b", ""), true},
		{"inner star spans slash", hookhub.Filter{EventTypes: []string{"x*.y"}}, with(push, "xa/b.y", ""), true},
		{"case-sensitive types", hookhub.Filter{EventTypes: []string{"Push"}}, push, false},

		{"severity", hookhub.Filter{Severities: []string{"critical", "high"}}, incident, true},
		{"severity case-insensitive", hookhub.Filter{Severities: []string{"CRITICAL"}}, incident, true},
		{"severity miss", hookhub.Filter{Severities: []string{"high"}}, incident, false},
		{"severity required but missing", hookhub.Filter{Severities: []string{"high"}}, with(push, "push", ""), false},
		{"source", hookhub.Filter{SourceIDs: []string{"src_github"}}, push, true},
		{"source miss", hookhub.Filter{SourceIDs: []string{"src_other"}}, push, false},
		{"all parts must match", hookhub.Filter{EventTypes: []string{"push"}, SourceIDs: []string{"src_other"}}, push, false},

		{"cel on type", hookhub.Filter{Expression: `event.type == "push"`}, push, true},
		{"cel on payload", hookhub.Filter{Expression: `event.payload.ref == "refs/heads/main"`}, push, true},
		{"cel nested payload", hookhub.Filter{Expression: `event.payload.repository.full_name.startsWith("hookhub/")`}, push, true},
		{"cel JSON number against int", hookhub.Filter{Expression: `event.payload.repository.stargazers_count > 10`}, push, true},
		{"cel list macro", hookhub.Filter{Expression: `event.payload.commits.exists(c, c.id == "b2")`}, push, true},
		{"cel size", hookhub.Filter{Expression: `size(event.payload.commits) == 2`}, push, true},
		{"cel has on missing field", hookhub.Filter{Expression: `has(event.payload.pusher)`}, push, false},
		{"cel dyn bool field", hookhub.Filter{Expression: `!event.payload.forced`}, push, true},
		{"cel header lower-case", hookhub.Filter{Expression: `event.headers["x-github-event"] == "push"`}, push, true},
		{"cel repeated header joined", hookhub.Filter{Expression: `event.headers["x-multi"] == "a, b"`}, push, true},
		{"cel severity and source", hookhub.Filter{Expression: `event.severity == "info" && event.source_id == "src_github"`}, push, true},
		{"cel string extension", hookhub.Filter{Expression: `event.type.upperAscii() == "PUSH"`}, push, true},
		{"cel false", hookhub.Filter{Expression: `event.type == "issues"`}, push, false},
		{"cel and lists combine", hookhub.Filter{EventTypes: []string{"push"}, Expression: `event.payload.forced`}, push, false},

		{"eval error: missing field is no match", hookhub.Filter{Expression: `event.payload.pusher.name == "x"`}, push, false},
		{"eval error: missing header is no match", hookhub.Filter{Expression: `event.headers["x-none"] == ""`}, push, false},
		{"eval error: nil payload is no match", hookhub.Filter{Expression: `event.payload.ref == "x"`}, with(filter.Input{}, "push", ""), false},
		{"eval error: type mismatch is no match", hookhub.Filter{Expression: `event.payload.ref > 3`}, push, false},
		{"dyn non-bool result is no match", hookhub.Filter{Expression: `event.payload.ref`}, push, false},
		{"too costly is no match", hookhub.Filter{Expression: `[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, a+b+c+d+e > 0)))))`}, push, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := filter.Compile(tt.f)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			if got := m.Match(tt.in); got != tt.want {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    hookhub.Filter
		want []string // substrings of the message
	}{
		{"syntax error", hookhub.Filter{Expression: `event.type ==`}, []string{"does not compile", "Syntax error"}},
		{"unknown variable", hookhub.Filter{Expression: `evnt.type == "push"`}, []string{"does not compile", "undeclared reference to 'evnt'"}},
		{"misspelt field", hookhub.Filter{Expression: `event.sevrity == "high"`}, []string{"does not compile", "sevrity"}},
		{"type error", hookhub.Filter{Expression: `event.type == 1`}, []string{"does not compile", "no matching overload"}},
		{"string result", hookhub.Filter{Expression: `event.type`}, []string{"true or false", "returns string"}},
		{"int result", hookhub.Filter{Expression: `size(event.type)`}, []string{"true or false", "returns int"}},
		{"too long", hookhub.Filter{Expression: strings.Repeat("true && ", 600) + "true"}, []string{"does not compile"}},
		{"empty glob", hookhub.Filter{EventTypes: []string{"push", ""}}, []string{`event_types entry 2 ""`, "empty"}},
		{"empty segment", hookhub.Filter{EventTypes: []string{"incident..x"}}, []string{"empty segment"}},
		{"bad class", hookhub.Filter{EventTypes: []string{"alert.[fr"}}, []string{`"alert.[fr"`, "not a valid glob"}},
		{"whitespace", hookhub.Filter{EventTypes: []string{"incident triggered"}}, []string{"whitespace"}},
		{"empty severity", hookhub.Filter{Severities: []string{" "}}, []string{"severities entry 1 is empty"}},
		{"empty source", hookhub.Filter{SourceIDs: []string{"src_1", ""}}, []string{"source_ids entry 2 is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := filter.Compile(tt.f)
			if hookhub.ErrorCode(err) != hookhub.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(hookhub.ErrorMessage(err), w) {
					t.Errorf("message %q does not contain %q", hookhub.ErrorMessage(err), w)
				}
			}
		})
	}
}

func TestNeedsPayload(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr string
		want bool
	}{
		{"", false},
		{`event.type == "push"`, false},
		{`event.headers["x"] == "y"`, false},
		{`event.payload.ref == "x"`, true},
		{`has(event.payload.ref)`, true},
		{`event.type == "push" || event.payload.forced`, true},
		{`[event].exists(e, e.type == "push")`, true}, // event used whole
	}
	for _, tt := range tests {
		m, err := filter.Compile(hookhub.Filter{Expression: tt.expr})
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.expr, err)
		}
		if got := m.NeedsPayload(); got != tt.want {
			t.Errorf("NeedsPayload(%q) = %v, want %v", tt.expr, got, tt.want)
		}
	}
}

func TestMatchConcurrent(t *testing.T) {
	t.Parallel()
	m, err := filter.Compile(hookhub.Filter{EventTypes: []string{"push"}, Expression: `event.payload.ref.endsWith("/main") && event.headers["x-github-event"] == "push"`})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan bool)
	for range 8 {
		go func() { done <- m.Match(push) }()
	}
	for range 8 {
		if !<-done {
			t.Error("Match = false under concurrency")
		}
	}
}
