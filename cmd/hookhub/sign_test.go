package main

import (
	"strings"
	"testing"
)

// TestSignThenVerify: for every scheme, what sign prints verify accepts,
// and a changed body is refused with a reason and exit status 1.
func TestSignThenVerify(t *testing.T) {
	var h *hub
	body := `{"type":"invoice.paid"}`
	for _, tc := range []struct {
		scheme string
		extra  []string
	}{
		{"github", nil}, {"stripe", nil}, {"slack", nil}, {"shopify", nil}, {"zendesk", nil}, {"snyk", nil},
		{"standard-webhooks", nil}, {"pagerduty", nil}, {"token", []string{"--signature-header", "X-Token"}},
		{"basic", []string{"--username", "shop"}}, {"alertmanager", nil}, {"grafana", nil}, {"whatap", nil},
		{"panther", nil}, {"generic", nil},
		{"hmac", []string{"--signature-header", "X-Sig", "--signed", "timestamp.body", "--timestamp-header", "X-Ts", "--encoding", "base64"}},
		{"hub-signature", nil}, {"timestamp-body", nil},
	} {
		t.Run(tc.scheme, func(t *testing.T) {
			args := append([]string{"--scheme", tc.scheme, "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}, tc.extra...)
			signed := h.cli(t, body, nil, append([]string{"sign"}, args...)...)
			if signed.code != 0 || !strings.Contains(signed.stdout, ": ") {
				t.Fatalf("sign: %+v", signed)
			}
			verifyArgs := append([]string{"verify"}, args...)
			for _, line := range strings.Split(strings.TrimSpace(signed.stdout), "\n") {
				verifyArgs = append(verifyArgs, "--header", line)
			}
			if r := h.cli(t, body, nil, verifyArgs...); r.code != 0 || !strings.Contains(r.stdout, "verified") {
				t.Fatalf("verify of its own signature: %+v\nheaders:\n%s", r, signed.stdout)
			}
			if tc.scheme == "basic" || tc.scheme == "token" || !bodySigned(tc.scheme) {
				return
			}
			r := h.cli(t, body+" ", nil, verifyArgs...)
			if r.code != 1 || !strings.Contains(r.stderr, "not verified: ") {
				t.Fatalf("verify of a changed body: %+v", r)
			}
		})
	}
}

// bodySigned: alert presets and generic check a token, not the body.
func bodySigned(scheme string) bool {
	switch scheme {
	case "alertmanager", "grafana", "whatap", "panther", "generic":
		return false
	}
	return true
}

// TestSignIsDeterministic checks sign against a published vector: GitHub's
// documented example.
func TestSignIsDeterministic(t *testing.T) {
	var h *hub
	r := h.cli(t, "Hello, World!", nil, "sign", "--scheme", "github", "--secret", "It's a Secret to Everybody")
	if !strings.Contains(r.stdout, "X-Hub-Signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17\n") {
		t.Fatalf("sign github: %+v", r)
	}
	r = h.cli(t, `{"test": 2432232314}`, nil, "sign", "--scheme", "standard-webhooks", "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
		"--id", "msg_p5jXN8AQM9LWM0D4loKWxJek", "--timestamp", "1614265330")
	if !strings.Contains(r.stdout, "Webhook-Signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=\n") {
		t.Fatalf("sign standard-webhooks: %+v", r)
	}
	r = h.cli(t, `{"test": 2432232314}`, nil, "verify", "--scheme", "standard-webhooks", "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
		"--header", "webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek", "--header", "webhook-timestamp: 1614265330",
		"--header", "webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
	if r.code != 1 || !strings.Contains(r.stderr, "timestamp") {
		t.Fatalf("a 2021 timestamp verified now: %+v", r)
	}
	r = h.cli(t, `{"test": 2432232314}`, nil, "verify", "--scheme", "standard-webhooks", "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
		"--at", "1614265330", "--header", "webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek", "--header", "webhook-timestamp: 1614265330",
		"--header", "webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
	if r.code != 0 {
		t.Fatalf("the published vector with --at: %+v", r)
	}
	if r := h.cli(t, "", nil, "sign", "--scheme", "nope", "--secret", "x"); r.code != 2 || !strings.Contains(r.stderr, "is not one of") {
		t.Fatalf("unknown scheme: %+v", r)
	}
}

// TestSlackURLVerification: a Slack source answers Slack's signed Request
// URL check with its challenge, as Slack requires.
func TestSlackURLVerification(t *testing.T) {
	h := startHub(t, "")
	out := h.ok(t, "sources", "create", "--name", "Slack app", "--type", "slack", "--secret", "8f742231b10e8888abcd99yyyzzz85a5")
	url := strings.TrimSpace(out[strings.Index(out, "webhook URL: ")+len("webhook URL: "):])
	body := `{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	r := h.cli(t, body, nil, "send", "--scheme", "slack", "--secret", "8f742231b10e8888abcd99yyyzzz85a5", url)
	if r.code != 0 || !strings.Contains(r.stdout, "\n3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\n") {
		t.Fatalf("url_verification: %+v", r)
	}
	if r := h.cli(t, body, nil, "send", "--scheme", "slack", "--secret", "wrong", url); r.code != 1 {
		t.Fatalf("an unsigned check was answered: %+v", r)
	}
}
