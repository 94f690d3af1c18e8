package expr

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
)

func TestRenderText(t *testing.T) {
	env := testEnv(t)
	tests := []struct {
		src, want string
	}{
		{"plain", "plain"},
		{"", ""},
		{"Hello {{ name }}!", "Hello Ada!"},
		{"{{name}}{{name}}", "AdaAda"},
		{"order {{ body.order_id }} of {{ body.amount }}", "order 1234 of 150.5"},
		{"big {{ body.big }}", "big 9007199254740993"},
		{"{{ body.status == 'paid' }}", "true"},
		{"{{ body.tags }} {{ body.nested }}", `["a","b"] {"a":null,"z":1}`},
		{"{{ {'k': {'v': 1}} }}", `{"k":{"v":1}}`},
		{"{{ '}}' }}", "}}"},
		{`{{ "{{" }} literal`, "{{ literal"},
		{"a }} b", "a }} b"},
		{"{{ r'\\d}}' }}", `\d}}`},
		{"{{ '''multi\n}}line''' }}", "multi\n}}line"},
		{"{{ name // a comment }}\n }}", "Ada"},
		{"{{ b'hi' }}", `"aGk="`},
		{"{{ duration('90s') }}", "90s"},
		{"{{ body.?missing.orValue('none') }}", "none"},
		{"{{ null }}", "null"},
	}
	for _, tt := range tests {
		tpl, err := ParseTemplate(env, tt.src)
		if err != nil {
			t.Errorf("ParseTemplate(%q): %v", tt.src, err)
			continue
		}
		got, err := tpl.Render(context.Background(), testVars)
		if err != nil || got != tt.want {
			t.Errorf("Render(%q) = %q, %v; want %q", tt.src, got, err, tt.want)
		}
	}
}

func TestParseTemplateErrors(t *testing.T) {
	env := testEnv(t)
	tests := []struct {
		src, want string
	}{
		{"Hello {{ name", "line 1, column 7: {{ is not closed by }}"},
		{"Hello {{ nme }}", "line 1, column 10: undeclared reference to 'nme'"},
		{"a\nbc {{ name +\n 1 }}", "line 2, column 12: found no matching overload"},
		{"x {{ }}", "line 1, column 5: expression is empty"},
		{"{{ 'open }}", "line 1, column 1: {{ is not closed"},
		{strings.Repeat("x", MaxTemplateBytes+1), "longer than"},
	}
	for _, tt := range tests {
		_, err := ParseTemplate(env, tt.src)
		if hookhub.ErrorCode(err) != hookhub.EINVALID || !strings.Contains(hookhub.ErrorMessage(err), tt.want) {
			t.Errorf("ParseTemplate(%q) = %v, want EINVALID containing %q", tt.src, err, tt.want)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	env := testEnv(t)
	tpl, err := ParseTemplate(env, "x {{ body.nope }}")
	if err != nil {
		t.Fatal(err)
	}
	_, err = tpl.Render(context.Background(), testVars)
	if hookhub.ErrorCode(err) != hookhub.EUNPROCESSABLE || !strings.Contains(hookhub.ErrorMessage(err), "{{ body.nope }}") {
		t.Errorf("Render = %v, want EUNPROCESSABLE quoting the expression", err)
	}
	tpl, _ = ParseTemplate(env, "{{ big }}{{ big }}")
	if _, err := tpl.Render(context.Background(), testVars); !strings.Contains(hookhub.ErrorMessage(err), "larger than") {
		t.Errorf("oversized output: err = %v", err)
	}
}

func TestRenderJSON(t *testing.T) {
	env := testEnv(t)
	tests := []struct {
		src, want string
	}{
		{`{"result": "success", "order": {{ body.order_id }}}`, `{"result": "success", "order": 1234}`},
		{`{"status": {{ body.status }}}`, `{"status": "paid"}`},
		{`{"note": "order {{ body.order_id }} by {{ name }}"}`, `{"note": "order 1234 by Ada"}`},
		{`{"q": "{{ body.quote }}", "v": {{ body.quote }}}`, `{"q": "say \"hi\"\n", "v": "say \"hi\"\n"}`},
		{`{"tags": {{ body.tags }}, "in": "{{ body.tags }}"}`, `{"tags": ["a","b"], "in": "[\"a\",\"b\"]"}`},
		{`[{{ body.nested }}, {{ null }}]`, `[{"a":null,"z":1}, null]`},
		{`"esc \" {{ name }}"`, `"esc \" Ada"`},
		{`{"plain": true}`, `{"plain": true}`},
	}
	for _, tt := range tests {
		tpl, err := ParseJSONTemplate(env, tt.src)
		if err != nil {
			t.Errorf("ParseJSONTemplate(%q): %v", tt.src, err)
			continue
		}
		got, err := tpl.Render(context.Background(), testVars)
		if err != nil || got != tt.want {
			t.Errorf("Render(%q) = %q, %v; want %q", tt.src, got, err, tt.want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("Render(%q) = %q is not JSON", tt.src, got)
		}
	}
}

func TestParseJSONTemplateErrors(t *testing.T) {
	env := testEnv(t)
	tests := []struct {
		src, want string
	}{
		{`{"a": 1`, "is not a valid JSON template"},
		{`{"a": {{ name }}{{ name }}}`, "is not a valid JSON template"},
		{`{"a": 1{{ name }}}`, "is not a valid JSON template"},
		{`ok`, "JSON template: line 1, column 1"},
		{"{\n  \"a\": tru\n}", "line 2"},
		{`{"a": "x\{{ name }}"}`, "may not follow a backslash"},
		{`{"a": {{ nme }}}`, "undeclared reference"},
	}
	for _, tt := range tests {
		_, err := ParseJSONTemplate(env, tt.src)
		if hookhub.ErrorCode(err) != hookhub.EINVALID || !strings.Contains(hookhub.ErrorMessage(err), tt.want) {
			t.Errorf("ParseJSONTemplate(%q) = %v, want EINVALID containing %q", tt.src, err, tt.want)
		}
	}
}

func TestLiteral(t *testing.T) {
	env := testEnv(t)
	tpl, _ := ParseTemplate(env, "hooks")
	if s, ok := tpl.Literal(); !ok || s != "hooks" {
		t.Errorf("Literal = %q, %v", s, ok)
	}
	tpl, _ = ParseTemplate(env, "hooks.{{ name }}")
	if _, ok := tpl.Literal(); ok {
		t.Error("a template with a substitution is not literal")
	}
}
