package mediatype

import (
	"testing"

	"github.com/hookhub/hookhub"
)

// FuzzCheck checks the media-type decision on hostile
// Content-Type headers: it refuses with EUNSUPPORTED only, and whatever
// IsJSON calls JSON is accepted by a source that takes JSON.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"application/json", "Application/JSON; charset=utf-8", "application/cloudevents+json",
		"text/plain;;;", "", ";", "*/*", "application/x-www-form-urlencoded", " application/json ; x=\"y"} {
		f.Add(s, "application/json")
	}
	f.Add("text/xml", "text/*")
	f.Fuzz(func(t *testing.T, header, accepted string) {
		if err := Check(header, []string{accepted}); err != nil && hookhub.ErrorCode(err) != hookhub.EUNSUPPORTED {
			t.Fatalf("code %s: %v", hookhub.ErrorCode(err), err)
		}
		if IsJSON(header) && Check(header, []string{JSON}) != nil {
			t.Fatalf("IsJSON(%q) but a JSON source refuses it", header)
		}
		if IsJSON(header) && IsForm(header) {
			t.Fatalf("%q is both JSON and a form", header)
		}
	})
}
