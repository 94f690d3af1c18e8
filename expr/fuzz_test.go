package expr

import (
	"context"
	"encoding/json"
	"testing"
)

// FuzzTemplate parses arbitrary templates in both modes: parsing never
// panics, a rendering stays within MaxOutputBytes, and a JSON template's
// rendering is always valid JSON.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{
		"", "plain", "Hello {{ name }}!", "{{ body.tags }} {{ body.nested }}", "{{ '}}' }}", `{{ "{{" }}`,
		"{{ r'\\d}}' }}", "{{ '''multi\n}}line''' }}", "{{ name // c }}\n }}", "{{", "}}", "{{}}", "{{ {'a': {'b': 1}} }}",
		`{"result": "success", "order": {{ body.order_id }}}`, `{"note": "order {{ body.order_id }}"}`,
		`{"q": "{{ body.quote }}", "v": {{ body.quote }}}`, `[{{ body.nested }}, {{ null }}]`, `"\{{ name }}"`,
		`{"a": "\u00{{ name }}"}`, "{{ b'\\xff' }}", `{"x": "{{ b'\xff' }}"}`, "{{ body.?missing.orValue(1) }}",
	} {
		f.Add(s)
	}
	env := testEnv(f)
	f.Fuzz(func(t *testing.T, src string) {
		if tpl, err := ParseTemplate(env, src); err == nil {
			if out, err := tpl.Render(context.Background(), testVars); err == nil && len(out) > MaxOutputBytes {
				t.Fatalf("text rendering of %q is %d bytes", src, len(out))
			}
		}
		tpl, err := ParseJSONTemplate(env, src)
		if err != nil {
			return
		}
		out, err := tpl.Render(context.Background(), testVars)
		if err == nil && !json.Valid([]byte(out)) {
			t.Fatalf("JSON template %q rendered invalid JSON %q", src, out)
		}
	})
}
