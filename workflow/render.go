package workflow

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/hookhub/hookhub/expr"
	"github.com/hookhub/hookhub/mediatype"
)

// headerValue reads a header of a node's settings in any case.
func headerValue(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

func isJSONType(ct string) bool { return mediatype.IsJSON(ct) }

// renderHeaders renders header templates; contentType is set unless a
// header sets it.
func renderHeaders(ctx context.Context, h map[string]*expr.Template, contentType string, vars map[string]any) (map[string]string, error) {
	out := make(map[string]string, len(h)+1)
	for name, t := range h {
		v, err := t.Render(ctx, vars)
		if err != nil {
			return nil, fmt.Errorf("headers.%s: %s", name, message(err))
		}
		if strings.ContainsAny(v, "\r\n\x00") {
			return nil, fmt.Errorf("headers.%s: the value holds a line break or NUL", name)
		}
		out[http.CanonicalHeaderKey(name)] = v
	}
	if contentType != "" && headerValue(out, "Content-Type") == "" {
		out["Content-Type"] = contentType
	}
	return out, nil
}

// render renders one field's template.
func render(ctx context.Context, field string, t *expr.Template, vars map[string]any) (string, error) {
	if t == nil {
		return "", nil
	}
	s, err := t.Render(ctx, vars)
	if err != nil {
		return "", fmt.Errorf("%s: %s", field, message(err))
	}
	return s, nil
}

// programsOf gathers the programs of templates, skipping nil ones.
func programsOf(ts ...*expr.Template) []*expr.Program {
	var out []*expr.Program
	for _, t := range ts {
		if t != nil {
			out = append(out, t.Programs()...)
		}
	}
	return out
}

func headerPrograms(h map[string]*expr.Template) []*expr.Program {
	var out []*expr.Program
	for _, t := range h {
		out = append(out, t.Programs()...)
	}
	return out
}
