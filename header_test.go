package hookhub

import (
	"strings"
	"testing"
)

func TestDestinationHeadersRefuseControlCharacters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		headers map[string]string
		signing SigningConfig
		want    string // "" for valid
	}{
		{"plain", map[string]string{"Authorization": "Bearer x", "X-Team": "ops ünïcode\tok"}, SigningConfig{}, ""},
		{"CR LF in a value", map[string]string{"X-A": "a\r\nX-Injected: 1"}, SigningConfig{}, "control characters"},
		{"LF in a value", map[string]string{"X-A": "a\nb"}, SigningConfig{}, "control characters"},
		{"NUL in a value", map[string]string{"X-A": "a\x00b"}, SigningConfig{}, "control characters"},
		{"CR LF in a name", map[string]string{"X-A\r\nX-B": "v"}, SigningConfig{}, "invalid header name"},
		{"space in a name", map[string]string{"X A": "v"}, SigningConfig{}, "invalid header name"},
		{"colon in a name", map[string]string{"X-A:": "v"}, SigningConfig{}, "invalid header name"},
		{"empty name", map[string]string{"": "v"}, SigningConfig{}, "1 to 100"},
		{"long name", map[string]string{strings.Repeat("x", 101): "v"}, SigningConfig{}, "1 to 100"},
		{"signing header", nil, SigningConfig{Header: "X-Sig\r\n"}, "signing.header"},
		{"signing timestamp header", nil, SigningConfig{TimestampHeader: "X TS"}, "signing.timestamp_header"},
	}
	for _, tt := range tests {
		d := &Destination{Name: "d", URL: "https://example.com", Headers: tt.headers, Signing: tt.signing}
		d.SetDefaults()
		err := d.Validate()
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want) {
			t.Errorf("%s: %v, want EINVALID mentioning %q", tt.name, err, tt.want)
		}
	}
}

func TestSourceHeadersRefuseControlCharacters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*Source)
		want string
	}{
		{"valid", func(s *Source) { s.Response.Headers = map[string]string{"X-Ok": "yes"} }, ""},
		{"response header value", func(s *Source) { s.Response.Headers = map[string]string{"X-Ok": "a\r\nb"} }, "response.headers"},
		{"response header name", func(s *Source) { s.Response.Headers = map[string]string{"X\nOk": "a"} }, "response.headers"},
		{"verification header", func(s *Source) { s.Verification.Header = "X-Token\r\n" }, "verification.header"},
		{"event type header", func(s *Source) { s.EventType.Header = "X Event" }, "event_type.header"},
	}
	for _, tt := range tests {
		s := &Source{Name: "s"}
		s.SetDefaults()
		tt.edit(s)
		err := s.Validate()
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want) {
			t.Errorf("%s: %v, want EINVALID mentioning %q", tt.name, err, tt.want)
		}
	}
}
