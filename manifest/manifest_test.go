package manifest

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	env := func(k string) string { return map[string]string{"SECRET": "s3"}[k] }
	f, err := Parse([]byte("sources:\n  - name: a\n    verification: {secret: \"x-${SECRET}-y\"}\n    max_body_bytes: 10\n"), env)
	if err != nil {
		t.Fatal(err)
	}
	src := f.Objects["sources"][0]
	if src["verification"].(map[string]any)["secret"] != "x-s3-y" || src["max_body_bytes"] != float64(10) {
		t.Fatalf("parsed %v", src)
	}
	for _, tc := range []struct{ in, want string }{
		{"widgets: []", `unknown top-level key "widgets"`},
		{"sources: {a: 1}", "must be a list"},
		{"sources: [{type: github}]", "needs a name"},
		{"sources: [{name: a}, {name: a}]", `two objects are named "a"`},
		{"sources: [{name: a, url: \"${NOPE}\"}]", "NOPE is not set"},
		{"sources: [: :", "not valid YAML"},
		{"sources: [3]", "mapping"},
	} {
		if _, err := Parse([]byte(tc.in), env); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want %q", tc.in, err, tc.want)
		}
	}
	if f, err := Parse(nil, env); err != nil || len(f.Objects) != 0 {
		t.Errorf("empty file: %v %v", f, err)
	}
}

func TestChanged(t *testing.T) {
	src, _ := kindNamed("sources")
	dst, _ := kindNamed("destinations")
	obj := func(kv ...any) Object {
		o := Object{}
		for i := 0; i < len(kv); i += 2 {
			o[kv[i].(string)] = kv[i+1]
		}
		return o
	}
	for _, tc := range []struct {
		name          string
		kind          Kind
		desired, curr Object
		resend        bool
		want          string
	}{
		{"equal scalars", src, obj("name", "a", "type", "github"), obj("name", "a", "type", "github", "id", "x"), false, ""},
		{"changed scalar", src, obj("type", "stripe"), obj("type", "github"), false, "type"},
		{"unmanaged field left alone", src, obj("type", "github"), obj("type", "github", "active", false), false, ""},
		{"nested subset with zero rest", dst, obj("filter", obj("event_types", []any{"a"})),
			obj("filter", obj("event_types", []any{"a"}, "severities", []any{}, "expression", "")), false, ""},
		{"nested field the file drops", dst, obj("filter", obj("event_types", []any{"a"})),
			obj("filter", obj("event_types", []any{"a"}, "severities", []any{"critical"})), false, "filter"},
		{"server default for a dropped field", dst, obj("retry", obj("schedule_seconds", []any{float64(5)})),
			obj("retry", obj("schedule_seconds", []any{float64(5)}, "max_retries", float64(10))), false, ""},
		{"non-default for a dropped field", dst, obj("retry", obj()),
			obj("retry", obj("max_retries", float64(3))), false, "retry"},
		{"list order matters", src, obj("destination_ids", []any{"a", "b"}), obj("destination_ids", []any{"b", "a"}), false, "destination_ids"},
		{"secret held", src, obj("verification", obj("secret", "x")), obj("verification", obj("scheme", "github", "secret_set", true)), false, ""},
		{"secret missing on the server", src, obj("verification", obj("secret", "x")), obj("verification", obj("secret_set", false)), false, "verification"},
		{"secret resent", src, obj("verification", obj("secret", "x")), obj("verification", obj("secret_set", true)), true, "verification"},
		{"masked header held", dst, obj("headers", obj("Authorization", "b")), obj("headers", obj("Authorization", "<masked>")), false, ""},
		{"extra header on the server", dst, obj("headers", obj("A", "b")), obj("headers", obj("A", "<masked>", "B", "<masked>")), false, "headers"},
		{"zero matches absent", dst, obj("description", ""), obj(), false, ""},
	} {
		got := strings.Join(Changed(tc.kind, tc.desired, tc.curr, tc.resend), ",")
		if got != tc.want {
			t.Errorf("%s: changed = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestBusDestinations: URLs shown with masked credentials and secrets masked
// in place compare as held, and export as placeholders.
func TestBusDestinations(t *testing.T) {
	dst, _ := kindNamed("destinations")
	desired := Object{"rabbitmq": map[string]any{"url": "amqp://guest:pw@mq:5672/", "exchange": "hooks"},
		"kafka": map[string]any{"sasl": map[string]any{"username": "u", "password": "p"}}}
	current := Object{"rabbitmq": map[string]any{"url": "amqp://guest:xxxxx@mq:5672/", "exchange": "hooks", "routing_key": ""},
		"kafka": map[string]any{"sasl": map[string]any{"username": "u", "password": "<masked>"}}}
	if got := Changed(dst, desired, current, false); len(got) != 0 {
		t.Errorf("held credentials differ: %v", got)
	}
	if got := strings.Join(Changed(dst, desired, current, true), ","); got != "kafka,rabbitmq" {
		t.Errorf("resent credentials: %q", got)
	}
	other := Object{"rabbitmq": map[string]any{"url": "amqp://guest:pw@other:5672/", "exchange": "hooks"}}
	if got := Changed(dst, other, current, false); len(got) != 1 {
		t.Errorf("another host compares equal")
	}
	current["name"] = "Rabbit"
	out := exportObject(dst, current, nil)
	if u := out["rabbitmq"].(Object)["url"]; u != "${DESTINATION_RABBIT_RABBITMQ_URL}" {
		t.Errorf("exported url %v", u)
	}
	if p := out["kafka"].(Object)["sasl"].(Object)["password"]; p != "${DESTINATION_RABBIT_KAFKA_SASL_PASSWORD}" {
		t.Errorf("exported password %v", p)
	}
}

func TestExportObject(t *testing.T) {
	src, _ := kindNamed("sources")
	names := map[string]map[string]string{"destinations": {"dst_1": "Ops"}}
	got := exportObject(src, Object{
		"id": "src_1", "key": "k", "url": "u", "name": "GitHub org", "type": "github", "alert": nil,
		"destination_ids": []any{"dst_1"}, "variables": []any{},
		"verification": map[string]any{"scheme": "github", "secret_set": true, "previous_secret_set": false},
	}, names)
	v := got["verification"].(Object)
	if v["secret"] != "${SOURCE_GITHUB_ORG_SECRET}" || v["secret_set"] != nil {
		t.Errorf("verification exported as %v", v)
	}
	if d, _ := got["destinations"].([]any); len(d) != 1 || d[0] != "Ops" || got["destination_ids"] != nil {
		t.Errorf("destinations exported as %v / %v", got["destinations"], got["destination_ids"])
	}
	for _, k := range []string{"id", "key", "url", "alert", "variables"} {
		if _, ok := got[k]; ok {
			t.Errorf("%s exported", k)
		}
	}
	basic := exportObject(src, Object{"name": "b", "verification": map[string]any{"scheme": "basic", "username": "u", "secret_set": true}}, names)
	if bv := basic["verification"].(Object); bv["password"] != "${SOURCE_B_PASSWORD}" || bv["secret"] != nil {
		t.Errorf("basic verification exported as %v", bv)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("sources:\n  - name: a\n    type: github\n    verification: {secret: \"${S}\"}\n"))
	f.Add([]byte("destinations: [{name: d, url: 'http://x', filter: {event_types: [a]}}]"))
	f.Add([]byte("{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data, func(string) string { return "v" })
		if err != nil {
			return
		}
		for kind, list := range file.Objects {
			k, ok := kindNamed(kind)
			if !ok {
				t.Fatalf("parsed unknown kind %q", kind)
			}
			for _, obj := range list {
				if name, _ := obj["name"].(string); name == "" {
					t.Fatalf("an object without a name was accepted: %v", obj)
				}
				Changed(k, obj, Object{}, false)
				exportObject(k, obj, map[string]map[string]string{})
			}
		}
	})
}

// A deliver node is exported with its destination's name, and a node whose
// destination is no longer known keeps its ID.
func TestExportDeliverNode(t *testing.T) {
	wf, _ := kindNamed("workflows")
	names := map[string]map[string]string{"destinations": {"dst_1": "Ops"}, "sources": {}}
	got := exportObject(wf, Object{"name": "w", "start": "a", "nodes": []any{
		map[string]any{"id": "a", "type": "deliver", "destination_id": "dst_1", "next": "b"},
		map[string]any{"id": "b", "type": "deliver", "destination_id": "dst_gone"},
		map[string]any{"id": "c", "type": "respond", "status": 200.0},
	}}, names)
	nodes := got["nodes"].([]any)
	if a := nodes[0].(Object); a["destination"] != "Ops" || a["destination_id"] != nil {
		t.Errorf("node a exported as %v", a)
	}
	if b := nodes[1].(Object); b["destination_id"] != "dst_gone" || b["destination"] != nil {
		t.Errorf("node b exported as %v", b)
	}
	if c := nodes[2].(Object); c["destination"] != nil || c["status"] != 200.0 {
		t.Errorf("node c exported as %v", c)
	}
}

// resolve names deliver nodes' destinations by ID, leaving the file's
// object as it was, and says which node names an unknown one.
func TestResolveDeliverNode(t *testing.T) {
	wf, _ := kindNamed("workflows")
	obj := Object{"name": "w", "nodes": []any{
		map[string]any{"id": "a", "type": "deliver", "destination": "Ops"},
		map[string]any{"id": "b", "type": "respond"},
	}}
	ids := map[string]map[string]string{"destinations": {"Ops": "dst_1"}, "sources": {}}
	body, err := resolve(wf, obj, ids)
	if err != nil {
		t.Fatal(err)
	}
	if n := body["nodes"].([]any)[0].(map[string]any); n["destination_id"] != "dst_1" || n["destination"] != nil {
		t.Errorf("resolved node %v", n)
	}
	if n := obj["nodes"].([]any)[0].(map[string]any); n["destination"] != "Ops" || n["destination_id"] != nil {
		t.Errorf("resolve changed the file's node: %v", n)
	}
	obj["nodes"].([]any)[0].(map[string]any)["destination"] = "Nope"
	_, err = resolve(wf, obj, ids)
	if want := `nodes[0] (id "a"): destination: no destination named "Nope" in the file or on the server`; err == nil || err.Error() != want {
		t.Errorf("unknown name: %v, want %q", err, want)
	}
}
