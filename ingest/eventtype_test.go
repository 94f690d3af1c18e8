package ingest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
)

func TestEventType(t *testing.T) {
	t.Parallel()
	flat, err := Flatten([]byte(`{"type":"invoice.paid","data":{"object":{"kind":"charge"}},"code":42,"big":12345678901234567890,"ok":true,"obj":{"x":1},"blank":"  "}`), 0)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"X-Github-Event": {"push"}, "X-Empty": {" "}}
	tests := []struct {
		name string
		rule hookhub.EventTypeRule
		want string
	}{
		{"header first", hookhub.EventTypeRule{Header: "x-github-event", JSONPath: "type", Default: "d"}, "push"},
		{"empty header falls through", hookhub.EventTypeRule{Header: "X-Empty", JSONPath: "type"}, "invoice.paid"},
		{"missing header falls through", hookhub.EventTypeRule{Header: "X-Nope", JSONPath: "type"}, "invoice.paid"},
		{"nested path", hookhub.EventTypeRule{JSONPath: "data.object.kind"}, "charge"},
		{"dollar prefix", hookhub.EventTypeRule{JSONPath: "$.data.object.kind"}, "charge"},
		{"body prefix", hookhub.EventTypeRule{JSONPath: "body.type"}, "invoice.paid"},
		{"number", hookhub.EventTypeRule{JSONPath: "code"}, "42"},
		{"big number exact", hookhub.EventTypeRule{JSONPath: "big"}, "12345678901234567890"},
		{"bool", hookhub.EventTypeRule{JSONPath: "ok"}, "true"},
		{"container is no type", hookhub.EventTypeRule{JSONPath: "obj", Default: "d"}, "d"},
		{"blank is no type", hookhub.EventTypeRule{JSONPath: "blank", Default: "d"}, "d"},
		{"default", hookhub.EventTypeRule{JSONPath: "missing", Default: "d"}, "d"},
		{"nothing", hookhub.EventTypeRule{}, ""},
	}
	for _, tt := range tests {
		if got := EventType(tt.rule, h, flat); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestEventTypeTruncates(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 200) // 400 bytes
	got := EventType(hookhub.EventTypeRule{JSONPath: "t"}, nil, map[string]any{"t": long})
	if len(got) != maxEventTypeLen || got != strings.Repeat("é", 128) {
		t.Fatalf("got %d bytes", len(got))
	}
	got = EventType(hookhub.EventTypeRule{JSONPath: "t"}, nil, map[string]any{"t": "a" + long})
	if len(got) != maxEventTypeLen-1 || !strings.HasPrefix(got, "aé") {
		t.Fatalf("cut inside a character: %d bytes", len(got))
	}
}
