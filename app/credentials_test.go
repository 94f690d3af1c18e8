package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"strings"
	"testing"
)

// credentialCase is one webhook that authenticates (or fails to) with a
// secret that must be kept nowhere.
type credentialCase struct {
	name    string
	key     string
	path    string // after /hooks/<key>
	header  string
	value   string
	secret  string // what must not appear, besides value
	want    int
	present string // a header the event must still show, masked
}

// TestInboundCredentialsNotStored sends webhooks that authenticate with the
// source's password, token, bearer token, query token or signature, accepted
// and rejected: every event must show that the credential was sent, but not
// the credential itself — neither in the database, the inspector, the
// variables, a forwarded request, nor the logs.
func TestInboundCredentialsNotStored(t *testing.T) {
	t.Parallel()
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		databaseURL := dbURL(t)
		logs := &lockedBuffer{}
		h := startHubWith(t, databaseURL, func(m *Main) {
			m.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		})
		rcv := newSink(t)
		dst := h.createDestination("forwarded", rcv.srv.URL, nil)
		forward := []string{"Authorization", "X-Token", "X-Webhook-Token", "X-Hub-Signature-256", "X-Request-Id"}
		vars := []map[string]string{{"path": "header.Authorization", "alias": "auth"}, {"path": "query.token", "alias": "qt"},
			{"path": "header.X-Token", "alias": "tok"}}
		newSource := func(name string, verification map[string]any) source {
			var src source
			h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": name, "type": "generic",
				"verification": verification, "destination_ids": []string{dst.ID}, "forward_headers": forward,
				"variables": vars}, &src)
			return src
		}
		password, token, bearer := randomText("pw-"), randomText("tok-"), randomText("bearer-")
		queryToken, alertToken, ghSecret := randomText("qtok-"), randomText("atok-"), randomText("gh-")
		wrongPassword := randomText("wrong-")
		basic := newSource("basic", map[string]any{"scheme": "basic", "username": "hooker", "password": password})
		tok := newSource("token", map[string]any{"scheme": "token", "header": "X-Token", "secret": token})
		bear := newSource("bearer", map[string]any{"scheme": "token", "header": "Authorization", "secret": bearer})
		open := newSource("open", map[string]any{"scheme": "none"})
		alerting := newSource("default token", map[string]any{"scheme": "token", "secret": alertToken})
		var gh source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "gh", "type": "github",
			"verification": map[string]any{"secret": ghSecret}, "destination_ids": []string{dst.ID},
			"forward_headers": forward}, &gh)

		body := []byte(`{"kind":"credentials"}`)
		mac := hmac.New(sha256.New, []byte(ghSecret))
		mac.Write(body)
		ghSig := "sha256=" + hex.EncodeToString(mac.Sum(nil))
		basicAuth := base64.StdEncoding.EncodeToString([]byte("hooker:" + password))
		wrongAuth := base64.StdEncoding.EncodeToString([]byte("hooker:" + wrongPassword))
		cases := []credentialCase{
			{"basic", basic.Key, "", "Authorization", "Basic " + basicAuth, password, 200, "Authorization"},
			{"wrong basic", basic.Key, "", "Authorization", "Basic " + wrongAuth, wrongPassword, 401, "Authorization"},
			{"token header", tok.Key, "", "X-Token", token, token, 200, "X-Token"},
			{"wrong token", tok.Key, "", "X-Token", token + "x", token, 401, "X-Token"},
			{"bearer", bear.Key, "", "Authorization", "Bearer " + bearer, bearer, 200, "Authorization"},
			{"default token header", alerting.Key, "", "X-Webhook-Token", alertToken, alertToken, 200, "X-Webhook-Token"},
			{"query token", open.Key, "?a=1&token=" + queryToken, "X-Request-Id", "req-1", queryToken, 200, ""},
			{"signature", gh.Key, "", "X-Hub-Signature-256", ghSig, strings.TrimPrefix(ghSig, "sha256="), 200, "X-Hub-Signature-256"},
		}
		for _, tc := range cases {
			code, resp := h.post("/hooks/"+tc.key+tc.path, map[string]string{"Content-Type": "application/json",
				"X-GitHub-Event": "push", tc.header: tc.value}, body)
			if code != tc.want {
				t.Fatalf("%s: %d %s, want %d", tc.name, code, resp, tc.want)
			}
		}
		secrets := map[string]string{"basic credentials": basicAuth, "password": password, "wrong credentials": wrongAuth,
			"wrong password": wrongPassword, "token": token, "bearer token": bearer, "query token": queryToken,
			"default-header token": alertToken, "signature": strings.TrimPrefix(ghSig, "sha256=")}

		var evs []event
		for _, e := range h.events("") {
			if e.SourceID != "" {
				evs = append(evs, e)
			}
		}
		if len(evs) != len(cases) {
			t.Fatalf("%d events stored, want %d", len(evs), len(cases))
		}
		for _, tc := range cases {
			if tc.present == "" {
				continue
			}
			found := false
			for _, e := range evs {
				if v := e.Headers[tc.present]; len(v) == 1 && strings.HasSuffix(v[0], "<masked>") {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no event shows %s as sent and masked", tc.name, tc.present)
			}
		}
		checkNoSecrets(t, h, secrets, "/api/v1/events")
		for _, e := range evs {
			checkNoSecrets(t, h, secrets, "/api/v1/events/"+e.ID)
		}
		var queried list[struct {
			Query map[string][]string `json:"query"`
		}]
		h.mustAPI(200, "GET", "/api/v1/events?source_id="+open.ID, nil, &queried)
		if len(queried.Data) != 1 || queried.Data[0].Query["token"][0] != "<masked>" || queried.Data[0].Query["a"][0] != "1" {
			t.Errorf("query of the event: %+v", queried.Data)
		}

		accepted := 0
		for _, tc := range cases {
			if tc.want == 200 {
				accepted++
			}
		}
		eventually(t, "every accepted event forwarded", func() bool { return len(rcv.requests()) >= accepted+1 })
		for _, r := range rcv.requests() {
			for k, vs := range r.header {
				for _, v := range vs {
					for what, plain := range secrets {
						if strings.Contains(v, plain) {
							t.Errorf("the %s is forwarded in %s", what, k)
						}
					}
					if strings.Contains(v, "<masked>") {
						t.Errorf("a masked value is forwarded in %s: %q", k, v)
					}
				}
			}
		}
		// Headers that are not secret are still forwarded.
		if n := len(rcv.requests()) - len(rcv.withEvent("ping")); n != accepted || len(rcv.requestsWith("X-Request-Id", "req-1")) != 1 {
			t.Errorf("forwarded requests: %d, %d with X-Request-Id", n, len(rcv.requestsWith("X-Request-Id", "req-1")))
		}
		for what, plain := range secrets {
			if strings.Contains(logs.String(), plain) {
				t.Errorf("the %s is in the logs", what)
			}
		}
		if !strings.Contains(logs.String(), "request") {
			t.Fatalf("nothing was logged; the log check would prove nothing: %q", logs.String())
		}

		var stored string
		if databaseURL == "" {
			stored = sqliteBytes(t, h)
		} else {
			stored = postgresText(t, databaseURL)
		}
		if !strings.Contains(stored, basic.ID) {
			t.Fatalf("the database dump does not hold the objects; the check would prove nothing (%d bytes)", len(stored))
		}
		for what, plain := range secrets {
			if strings.Contains(stored, plain) || strings.Contains(stored, hex.EncodeToString([]byte(plain))) {
				t.Errorf("the %s is stored in plain text", what)
			}
		}
	})
}

// requestsWith returns the requests whose header name has value.
func (s *sink) requestsWith(name, value string) []sinkRequest {
	var out []sinkRequest
	for _, r := range s.requests() {
		if r.header.Get(name) == value {
			out = append(out, r)
		}
	}
	return out
}

// checkNoSecrets fails if the API's answer at path shows a secret.
func checkNoSecrets(t *testing.T, h *testHub, secrets map[string]string, path string) {
	t.Helper()
	code, _, body := h.raw("GET", path, nil, nil)
	if code != 200 {
		t.Fatalf("GET %s: %d %s", path, code, body)
	}
	for what, plain := range secrets {
		if strings.Contains(string(body), plain) {
			t.Errorf("GET %s shows the %s", path, what)
		}
	}
}
