package transform_test

import (
	"context"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/transform"
)

// FuzzTransform compiles and applies arbitrary transforms to arbitrary
// bodies: every outcome is a result or a domain error, never a panic, and
// a result keeps to the limits and never sets a reserved header.
func FuzzTransform(f *testing.F) {
	f.Add(`{"text": event.payload.title}`, `{"title": "x"}`)
	f.Add(`{"body": event.payload, "method": "PUT", "path": "/a?b=c", "headers": {"X-A": "1"}}`, `{"a": [1, 2]}`)
	f.Add(`{"body": "x", "headers": {"webhook-id": "forged"}}`, `{}`)
	f.Add(`event.payload.?a.?b.orValue("none")`, `{"a": {"b": null}}`)
	f.Add(`event.payload`, `[1, "two", {"3": null}]`)
	f.Add(`string(event.payload)`, `not json`)
	f.Fuzz(func(t *testing.T, src, body string) {
		tr, err := transform.Compile(src)
		if err != nil {
			if hookhub.ErrorCode(err) != hookhub.EINVALID {
				t.Fatalf("compile error %v is not EINVALID", err)
			}
			return
		}
		out, err := tr.Apply(context.Background(), transform.EventOf(event(body)))
		if err != nil {
			if hookhub.ErrorCode(err) != hookhub.EUNPROCESSABLE {
				t.Fatalf("apply error %v is not EUNPROCESSABLE", err)
			}
			return
		}
		if len(out.Body) > transform.MaxBody {
			t.Fatalf("body of %d bytes", len(out.Body))
		}
		for k := range out.Headers {
			if k == "Webhook-Signature" || k == "X-Hookhub-Event" || k == "Host" {
				t.Fatalf("reserved header %s set", k)
			}
		}
	})
}
