package ingest

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/hookhub/hookhub"
)

func TestMaskHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		cfg    hookhub.Verification
		header string
		value  string
		want   string
	}{
		{"basic keeps its scheme", hookhub.Verification{Scheme: "basic"}, "Authorization", "Basic aG9va2VyOnB3", "Basic " + Masked},
		{"bearer keeps its scheme", hookhub.Verification{}, "Authorization", "Bearer tok-123", "Bearer " + Masked},
		{"pagerduty token scheme", hookhub.Verification{}, "Authorization", "Token token=abc", "Token " + Masked},
		{"a bare credential", hookhub.Verification{}, "Authorization", "s3cr3t", Masked},
		{"a credential with odd characters", hookhub.Verification{}, "Authorization", "a:b c", Masked},
		{"default token header", hookhub.Verification{}, "X-Webhook-Token", "tok", Masked},
		{"configured token header", hookhub.Verification{Scheme: "token", Header: "x-my-token"}, "X-My-Token", "tok", Masked},
		{"configured hmac header", hookhub.Verification{Scheme: "hmac", Header: "X-Signature"}, "X-Signature", "sha256=ab", Masked},
		{"github signature", hookhub.Verification{}, "X-Hub-Signature-256", "sha256=ab", Masked},
		{"stripe signature", hookhub.Verification{}, "Stripe-Signature", "t=1,v1=ab", Masked},
		{"standard webhooks signature", hookhub.Verification{}, "Webhook-Signature", "v1,abc", Masked},
		{"cookie", hookhub.Verification{}, "Cookie", "session=abc", Masked},
		{"proxy credentials", hookhub.Verification{}, "Proxy-Authorization", "Basic abc", "Basic " + Masked},
		{"event header kept", hookhub.Verification{}, "X-GitHub-Event", "push", "push"},
		{"timestamp kept", hookhub.Verification{}, "Webhook-Timestamp", "1700000000", "1700000000"},
		{"other header kept when another is configured", hookhub.Verification{Scheme: "token", Header: "X-Token"}, "X-Tokens", "a", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := http.Header{}
			in.Set(tt.header, tt.value)
			in.Set("Content-Type", "application/json")
			got, _ := Mask(tt.cfg, in, "")
			if v := got.Get(tt.header); v != tt.want {
				t.Errorf("%s: %q, want %q", tt.header, v, tt.want)
			}
			if got.Get("Content-Type") != "application/json" {
				t.Errorf("other headers changed: %v", got)
			}
			if in.Get(tt.header) != tt.value {
				t.Errorf("the request's own header changed to %q", in.Get(tt.header))
			}
		})
	}
}

func TestMaskKeepsEveryValue(t *testing.T) {
	t.Parallel()
	in := http.Header{"Authorization": {"Basic a", "Bearer b"}, "X-Request-Id": {"r"}}
	got, _ := Mask(hookhub.Verification{}, in, "")
	want := http.Header{"Authorization": {"Basic " + Masked, "Bearer " + Masked}, "X-Request-Id": {"r"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestMaskNothingToMaskReturnsTheSame(t *testing.T) {
	t.Parallel()
	in := http.Header{"Content-Type": {"application/json"}}
	got, q := Mask(hookhub.Verification{}, in, "a=1&b=2")
	if reflect.ValueOf(got).Pointer() != reflect.ValueOf(in).Pointer() || q != "a=1&b=2" {
		t.Fatalf("copied or changed: %v %q", got, q)
	}
}

func TestMaskQuery(t *testing.T) {
	t.Parallel()
	m := maskedQueryValue
	tests := []struct{ in, want string }{
		{"", ""},
		{"token=abc", "token=" + m},
		{"a=1&token=abc&b=%20x", "a=1&token=" + m + "&b=%20x"},
		{"access_token=abc&api_key=k&apiKey=k&API-KEY=k", "access_token=" + m + "&api_key=" + m + "&apiKey=" + m + "&API-KEY=" + m},
		{"client_secret=s&password=p&pwd=p&sig=s&signature=s&auth=a", "client_secret=" + m + "&password=" + m + "&pwd=" + m + "&sig=" + m + "&signature=" + m + "&auth=" + m},
		{"to%6Ben=abc", "to%6Ben=" + m},
		{"token", "token"},
		{"token=", "token=" + m},
		{"key=PROJ-1&page=2&tokens_used=3", "key=PROJ-1&page=2&tokens_used=3"},
		{"q=\xfe&token=x", "q=\xfe&token=" + m},
	}
	for _, tt := range tests {
		if _, got := Mask(hookhub.Verification{}, nil, tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsMasked(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{Masked: true, "Basic " + Masked: true, "Basic abc": false, "": false} {
		if IsMasked(v) != want {
			t.Errorf("IsMasked(%q) = %v", v, !want)
		}
	}
}
