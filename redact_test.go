package hookhub_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
)

func TestRedactURLs(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"nats://127.0.0.1:4222", "nats://127.0.0.1:4222"},
		{"amqp://guest:guest@127.0.0.1:5672/", "amqp://guest:xxxxx@127.0.0.1:5672/"},
		{"redis://:s3cret@redis:6379/0", "redis://:xxxxx@redis:6379/0"},
		{"nats://t0ken@a:4222,nats://u:p@b:4222", "nats://xxxxx@a:4222,nats://u:xxxxx@b:4222"},
		{"nats://u:p@a:4222, nats://b:4222", "nats://u:xxxxx@a:4222,nats://b:4222"},
		{"amqp://user:p%40ss@host/vh", "amqp://user:xxxxx@host/vh"},
		{"://bad:pw@%zz", "xxxxx"},
	}
	for _, tt := range tests {
		if got := hookhub.RedactURLs(tt.in); got != tt.want {
			t.Errorf("RedactURLs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUnredactURLs(t *testing.T) {
	t.Parallel()
	stored := "amqp://guest:s3cret@mq:5672/,nats://t0ken@b:4222"
	tests := []struct{ sent, want string }{
		{"amqp://guest:xxxxx@mq:5672/,nats://xxxxx@b:4222", stored},
		{"amqp://guest:new@mq:5672/", "amqp://guest:new@mq:5672/"},
		{"amqp://guest:xxxxx@other:5672/", "amqp://guest:xxxxx@other:5672/"}, // a new host gets no stored secret
		{"amqp://admin:xxxxx@mq:5672/", "amqp://admin:xxxxx@mq:5672/"},       // nor a new user
		{"amqp://mq:5672/", "amqp://mq:5672/"},
	}
	for _, tt := range tests {
		if got := hookhub.UnredactURLs(tt.sent, stored); got != tt.want {
			t.Errorf("UnredactURLs(%q) = %q, want %q", tt.sent, got, tt.want)
		}
	}
}

// FuzzRedactURLs checks that a redacted URL never shows the password it had.
func FuzzRedactURLs(f *testing.F) {
	for _, s := range []string{"amqp://guest:guest@127.0.0.1:5672/", "nats://tok@a:1,nats://u:p@b:2", "redis://:pw@h/0", "::bad", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		out := hookhub.RedactURLs(raw)
		for _, p := range strings.Split(raw, ",") {
			u, err := url.Parse(strings.TrimSpace(p))
			if err != nil || u.User == nil {
				continue
			}
			if pw, ok := u.User.Password(); ok && len(pw) > 5 && pw != hookhub.RedactedCredential && strings.Contains(out, pw) && !strings.Contains(u.Host+u.Path+u.Scheme+u.RawQuery+u.Fragment+u.User.Username(), pw) {
				t.Fatalf("RedactURLs(%q) = %q shows the password", raw, out)
			}
		}
		hookhub.UnredactURLs(out, raw) // must not panic
	})
}
