package app

import (
	"os"
	"strings"
	"testing"
	"time"
)

// presetCase is a provider's published (or recomputed) signature vector,
// sent through the real HTTP endpoint.
type presetCase struct {
	typ, secret string
	at          time.Time // the vector's time; zero when it has none
	headers     map[string]string
	body        string
	reject      int // status for a tampered body
}

func presetCases(t *testing.T) []presetCase {
	slack, err := os.ReadFile("testdata/slack-body.txt")
	if err != nil {
		t.Fatal(err)
	}
	ct := "application/json"
	return []presetCase{
		{typ: "github", secret: "It's a Secret to Everybody", body: "Hello, World!", reject: 401,
			headers: map[string]string{"Content-Type": "text/plain", "X-GitHub-Event": "push", "X-GitHub-Delivery": "d-1",
				"X-Hub-Signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"}},
		{typ: "standard-webhooks", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", at: time.Unix(1614265330, 0), body: `{"test": 2432232314}`, reject: 401,
			headers: map[string]string{"Content-Type": ct, "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330",
				"webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}},
		{typ: "slack", secret: "8f742231b10e8888abcd99yyyzzz85a5", at: time.Unix(1531420618, 0), body: strings.TrimRight(string(slack), "\n"), reject: 401,
			headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": "1531420618",
				"X-Slack-Signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"}},
		{typ: "stripe", secret: "whsec_test_secret", at: time.Unix(1492774577, 0), body: `{"id":"evt_test","object":"event"}`, reject: 401,
			headers: map[string]string{"Content-Type": ct, "Stripe-Signature": "t=1492774577,v1=691252e266ce41cb94d709c84e9580d4172b117a510bbc81723f657d2cd5d215"}},
		{typ: "shopify", secret: "hush", body: `{"id":1}`, reject: 401,
			headers: map[string]string{"Content-Type": ct, "X-Shopify-Topic": "orders/create", "X-Shopify-Hmac-Sha256": "VnKUjZsLuN5iZWjn5EntcBVCF9kMN43LglzCE1/GSeY="}},
		{typ: "zendesk", secret: "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=", at: time.Date(2021, 7, 25, 10, 0, 0, 0, time.UTC), body: `{"say": "hello"}`, reject: 403,
			headers: map[string]string{"Content-Type": ct, "X-Zendesk-Webhook-Signature-Timestamp": "2021-07-25T10:00:00Z",
				"X-Zendesk-Webhook-Signature": "Rry/4TtIdFyawtXXp8QdI6tlAUUQ/5kL1OTp5qo/ZIk="}},
	}
}

func TestPresetVectorsThroughHTTP(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		for _, tc := range presetCases(t) {
			t.Run(tc.typ, func(t *testing.T) {
				var s source
				contentTypes := []string{"application/json", "text/plain", "application/x-www-form-urlencoded"}
				h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{
					"name": tc.typ, "type": tc.typ, "content_types": contentTypes,
					"verification": map[string]any{"scheme": tc.typ, "secret": tc.secret},
				}, &s)
				h.clock.set(tc.at)
				defer h.clock.set(time.Time{})
				if code, body := h.post("/hooks/"+s.Key, tc.headers, []byte(tc.body)); code != 200 || body != "ok" {
					t.Fatalf("valid vector: %d %q", code, body)
				}
				tampered := []byte(tc.body)
				tampered[len(tampered)-2] ^= 1
				if code, body := h.post("/hooks/"+s.Key, tc.headers, tampered); code != tc.reject || !strings.Contains(body, `"error"`) {
					t.Fatalf("tampered body: %d %q, want %d", code, body, tc.reject)
				}
				if tc.at != (time.Time{}) {
					h.clock.set(tc.at.Add(6 * time.Minute))
					if code, _ := h.post("/hooks/"+s.Key, tc.headers, []byte(tc.body)); code != tc.reject {
						t.Fatalf("stale timestamp: %d, want %d", code, tc.reject)
					}
				}
				evs := h.events("source_id=" + s.ID)
				var accepted, rejected int
				for _, e := range evs {
					switch e.Status {
					case "accepted":
						accepted++
						if e.Verification.Result != "verified" || e.Body != tc.body {
							t.Errorf("accepted event: %+v", e)
						}
					case "rejected":
						rejected++
						if e.Verification.Result != "failed" || e.Verification.Reason == "" {
							t.Errorf("rejected event lacks reason: %+v", e)
						}
					}
				}
				if accepted != 1 || rejected < 1 {
					t.Fatalf("accepted %d rejected %d: %+v", accepted, rejected, evs)
				}
			})
		}
	})
}
