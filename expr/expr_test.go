package expr

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"cel.dev/cel-go/cel"

	"github.com/hookhub/hookhub"
)

func testEnv(t testing.TB) *cel.Env {
	t.Helper()
	env, err := NewEnv(
		cel.Variable("body", cel.DynType),
		cel.Variable("name", cel.StringType),
		cel.Variable("big", cel.StringType),
	)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

var testVars = map[string]any{
	"name": "Ada",
	"big":  strings.Repeat("x", 600_000),
	"body": map[string]any{
		"order_id": 1234.0, "status": "paid", "amount": 150.5, "big": json.Number("9007199254740993"),
		"tags": []any{"a", "b"}, "nested": map[string]any{"z": 1.0, "a": nil}, "quote": `say "hi"` + "\n",
	},
}

func TestCompileErrorsNamePosition(t *testing.T) {
	env := testEnv(t)
	tests := []struct {
		src  string
		want string
	}{
		{"body.status ==", "line 1, column 15"},
		{"nme == 'x'", "line 1, column 1: undeclared reference to 'nme'"},
		{"name == 'x' &&\n  nam", "line 2, column 3"},
		{"", "expression is empty"},
		{strings.Repeat("1 + ", 2000) + "1", "longer than 4096 bytes"},
	}
	for _, tt := range tests {
		_, err := Compile(env, tt.src)
		if hookhub.ErrorCode(err) != hookhub.EINVALID || !strings.Contains(hookhub.ErrorMessage(err), tt.want) {
			t.Errorf("Compile(%q) = %v, want EINVALID containing %q", tt.src, err, tt.want)
		}
	}
}

func TestCompileBool(t *testing.T) {
	env := testEnv(t)
	if _, err := CompileBool(env, "name + '!'"); !strings.Contains(hookhub.ErrorMessage(err), "true or false") {
		t.Errorf("string expression: err = %v", err)
	}
	p, err := CompileBool(env, "body.status == 'paid' && body.amount > 100")
	if err != nil {
		t.Fatal(err)
	}
	ok, err := p.EvalBool(context.Background(), testVars)
	if err != nil || !ok {
		t.Errorf("EvalBool = %v, %v; want true", ok, err)
	}
	p, _ = CompileBool(env, "body.status")
	if _, err := p.EvalBool(context.Background(), testVars); hookhub.ErrorCode(err) != hookhub.EUNPROCESSABLE {
		t.Errorf("non-bool result: err = %v, want EUNPROCESSABLE", err)
	}
}

func TestEvalLimits(t *testing.T) {
	env := testEnv(t)
	tests := []struct {
		src, want string
	}{
		{"body.missing", "no such key"},
		{"[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(c, [1,2,3,4,5,6,7,8,9,10].map(d, [1,2,3,4,5,6,7,8,9,10].map(e, a+b+c+d+e)))))", "costs more than|took longer than"},
		{"big + big", "costs more than|took longer than"},
		{"[big, big]", "larger than"},
	}
	for _, tt := range tests {
		p, err := Compile(env, tt.src)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.src, err)
		}
		// Under the race detector on a busy machine the time limit may
		// stop an expensive expression before its cost does: either limit
		// counts.
		_, err = p.Eval(context.Background(), testVars)
		if hookhub.ErrorCode(err) != hookhub.EUNPROCESSABLE || !containsAny(hookhub.ErrorMessage(err), tt.want) {
			t.Errorf("Eval(%q) = %v, want EUNPROCESSABLE containing %q", tt.src, err, tt.want)
		}
	}
}

func TestEvalNative(t *testing.T) {
	env := testEnv(t)
	p, err := Compile(env, `{"n": body.order_id, "i": 2, "s": name, "l": body.tags, "t": timestamp("2025-01-02T03:04:05Z")}`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Eval(context.Background(), testVars)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"n": 1234.0, "i": int64(2), "s": "Ada", "l": []any{"a", "b"}, "t": "2025-01-02T03:04:05Z"}
	b1, _ := json.Marshal(got)
	b2, _ := json.Marshal(want)
	if string(b1) != string(b2) {
		t.Errorf("Eval = %s, want %s", b1, b2)
	}
}

func TestEventEnv(t *testing.T) {
	env := EventEnv()
	if _, err := Compile(env, "event.tpye"); !strings.Contains(hookhub.ErrorMessage(err), "tpye") {
		t.Errorf("misspelt field: err = %v", err)
	}
	tpl, err := ParseTemplate(env, "hooks.{{ event.type }}.{{ event.payload.repo.name }}/{{ event.headers['x-id'] }}@{{ event.received_at }}")
	if err != nil {
		t.Fatal(err)
	}
	ev := NewEvent(&hookhub.Event{
		ID: "evt_1", Type: "push", ReceivedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		Headers: map[string][]string{"X-Id": {"42"}},
	}, map[string]any{"repo": map[string]any{"name": "hookhub"}}, "")
	got, err := tpl.Render(context.Background(), EventVars(ev))
	if want := "hooks.push.hookhub/42@2025-01-02T03:04:05Z"; err != nil || got != want {
		t.Errorf("Render = %q, %v; want %q", got, err, want)
	}
}

// containsAny reports whether s contains one of the |-separated words.
func containsAny(s, words string) bool {
	for _, w := range strings.Split(words, "|") {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
