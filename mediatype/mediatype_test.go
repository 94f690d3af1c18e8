package mediatype

import (
	"testing"

	"github.com/hookhub/hookhub"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	form := []string{JSON, Form}
	tests := []struct {
		header   string
		accepted []string
		want     string // "" means accepted
	}{
		{"application/json", nil, ""},
		{"application/json; charset=utf-8", nil, ""},
		{"Application/JSON ; charset=UTF-8", nil, ""},
		{"application/json; charset", nil, ""}, // malformed parameter: the type is still clear
		{"application/cloudevents+json", nil, ""},
		{"application/vnd.api+json; charset=utf-8", nil, ""},
		{"application/x-www-form-urlencoded", form, ""},
		{"text/plain", []string{"text/*"}, ""},
		{"", []string{"*/*"}, ""},
		{"text/plain", nil, `unsupported Content-Type "text/plain"; accepted: application/json (or a +json type)`},
		{"application/+json", nil, `unsupported Content-Type "application/+json"; accepted: application/json (or a +json type)`},
		{"", nil, "missing Content-Type; accepted: application/json (or a +json type)"},
		{"application/x-www-form-urlencoded", nil, `unsupported Content-Type "application/x-www-form-urlencoded"; accepted: application/json (or a +json type)`},
		{"application/cloudevents+json", []string{Form}, `unsupported Content-Type "application/cloudevents+json"; accepted: application/x-www-form-urlencoded`},
		{"multipart/form-data; boundary=x", form, `unsupported Content-Type "multipart/form-data"; accepted: application/json, application/x-www-form-urlencoded (or a +json type)`},
	}
	for _, tt := range tests {
		err := Check(tt.header, tt.accepted)
		if tt.want == "" {
			if err != nil {
				t.Errorf("Check(%q, %v) = %v, want nil", tt.header, tt.accepted, err)
			}
			continue
		}
		if hookhub.ErrorCode(err) != hookhub.EUNSUPPORTED || hookhub.ErrorMessage(err) != tt.want {
			t.Errorf("Check(%q, %v) = %v, want %q", tt.header, tt.accepted, err, tt.want)
		}
	}
}

func TestIsJSONIsForm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ct         string
		json, form bool
	}{
		{"application/json", true, false},
		{"APPLICATION/JSON; charset=utf-8", true, false},
		{"application/merge-patch+json", true, false},
		{"application/x-www-form-urlencoded; charset=utf-8", false, true},
		{"text/plain", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		if IsJSON(tt.ct) != tt.json || IsForm(tt.ct) != tt.form {
			t.Errorf("%q: IsJSON=%v IsForm=%v, want %v %v", tt.ct, IsJSON(tt.ct), IsForm(tt.ct), tt.json, tt.form)
		}
	}
}
