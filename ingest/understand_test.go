package ingest

import (
	"bytes"
	"net/http"
	"reflect"
	"testing"

	"github.com/hookhub/hookhub"
)

func TestUnderstand(t *testing.T) {
	t.Parallel()
	jsonHeader := func(kv ...string) http.Header {
		h := http.Header{"Content-Type": {"application/json"}}
		for i := 0; i+1 < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	tests := []struct {
		name string
		src  hookhub.Source
		req  Request
		want Understanding
		code string
	}{
		{"github preset", hookhub.Source{Type: hookhub.SourceGitHub},
			Request{Method: "POST", Header: jsonHeader("X-GitHub-Event", "push", "X-GitHub-Delivery", "d-1"), Body: []byte(`{}`)},
			Understanding{Type: "push", DedupKey: "d-1"}, ""},
		{"own rule beats the preset", hookhub.Source{Type: hookhub.SourceGitHub, EventType: hookhub.EventTypeRule{JSONPath: "kind"}},
			Request{Method: "POST", Header: jsonHeader("X-GitHub-Event", "push"), Body: []byte(`{"kind":"custom"}`)},
			Understanding{Type: "custom"}, ""},
		{"variables", hookhub.Source{Type: hookhub.SourceGeneric, Variables: []hookhub.Variable{{Path: "body.b.c", Alias: "c"}, {Path: "query.a"}}},
			Request{Method: "POST", Header: jsonHeader(), RawQuery: "a=1", Body: []byte(`{"b":{"c":2}}`)},
			Understanding{Variables: map[string]any{"c": float64(2), "query.a": "1"}}, ""},
		{"malformed JSON", hookhub.Source{Type: hookhub.SourceGeneric},
			Request{Method: "POST", Header: jsonHeader(), Body: []byte(`{"a":`)}, Understanding{}, hookhub.EINVALID},
		{"empty JSON body", hookhub.Source{Type: hookhub.SourceGeneric},
			Request{Method: "POST", Header: jsonHeader()}, Understanding{}, hookhub.EINVALID},
		{"empty GET is fine", hookhub.Source{Type: hookhub.SourceGeneric},
			Request{Method: "GET", Header: jsonHeader()}, Understanding{}, ""},
	}
	for _, tt := range tests {
		got, err := Understand(&tt.src, tt.req)
		if code := hookhub.ErrorCode(err); code != tt.code {
			t.Errorf("%s: error %v, want code %q", tt.name, err, tt.code)
			continue
		}
		if tt.code != "" {
			continue
		}
		if got.Body == nil || !bytes.Equal(got.Body.Raw(), tt.req.Body) {
			t.Errorf("%s: the understanding does not carry the body on", tt.name)
		}
		got.Body = nil
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
