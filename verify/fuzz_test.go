package verify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// Fuzz targets feed untrusted header values to each parser and verifier.
// Beyond not panicking, a verifier must fail with its own code and a message
// that does not contain the secret.

const fuzzSecret = "fuzz-secret-value"

// checkFuzzErr asserts the shape of a verification failure.
func checkFuzzErr(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		return
	}
	if hookhub.ErrorCode(err) != code {
		t.Fatalf("code = %s, want %s: %v", hookhub.ErrorCode(err), code, err)
	}
	if strings.Contains(hookhub.ErrorMessage(err), fuzzSecret) {
		t.Fatalf("message leaks the secret: %v", err)
	}
}

func FuzzParseStripeHeader(f *testing.F) {
	f.Add("t=1492774577,v1=691252e266ce41cb94d709c84e9580d4172b117a510bbc81723f657d2cd5d215")
	f.Add("t=1,v1=00,v1=zz,v0=11, t=2")
	f.Add(",,=,t=,v1=")
	f.Fuzz(func(t *testing.T, h string) {
		s, ok := parseStripeHeader(h)
		if ok && (s.timestamp == "" || len(s.v1) == 0 || len(s.v1) > maxSignatures) {
			t.Fatalf("accepted %q as %+v", h, s)
		}
		v := mustNew(t, hookhub.Verification{Scheme: "stripe", Secret: fuzzSecret}, time.Unix(1492774577, 0))
		checkFuzzErr(t, v.Verify(request("Stripe-Signature", h), []byte("{}")), hookhub.EUNAUTHORIZED)
	})
}

func FuzzParseStandardSignatures(f *testing.F) {
	f.Add("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
	f.Add("v1,AAAA v1a,AQID v2,x ,, v1,")
	f.Add("v1a," + strings.Repeat("A", 86) + "==")
	f.Fuzz(func(t *testing.T, h string) {
		for _, s := range parseStandardSignatures(h) {
			if (s.version != "v1" && s.version != "v1a") || len(s.sig) == 0 {
				t.Fatalf("parsed %q into %+v", h, s)
			}
		}
		cfg := hookhub.Verification{Scheme: "standard-webhooks", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
			PreviousSecret: "whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="}
		v := mustNew(t, cfg, time.Unix(1614265330, 0))
		r := request("webhook-id", "msg_1", "webhook-timestamp", "1614265330", "webhook-signature", h)
		checkFuzzErr(t, v.Verify(r, []byte("{}")), hookhub.EUNAUTHORIZED)
	})
}

func FuzzParsePagerDutySignatures(f *testing.F) {
	f.Add("v1=ca104bda83dcc303bea622eebe5dcb88dd1ad1a0393bff2ffdd022c822a640ed,v1=00")
	f.Add("v1=,v2=ab, v1=zz")
	f.Fuzz(func(t *testing.T, h string) {
		if n := len(parsePagerDutySignatures(h)); n > maxSignatures {
			t.Fatalf("kept %d signatures", n)
		}
		v := mustNew(t, hookhub.Verification{Scheme: "pagerduty", Secret: fuzzSecret}, time.Time{})
		checkFuzzErr(t, v.Verify(request("X-PagerDuty-Signature", h), []byte("{}")), hookhub.EUNAUTHORIZED)
	})
}

func FuzzVerifyGitHub(f *testing.F) {
	f.Add("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "", []byte("Hello, World!"))
	f.Add("", "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59", []byte("Hello, World!"))
	f.Add("sha256=", "sha1", []byte{})
	f.Fuzz(func(t *testing.T, sig256, sig1 string, body []byte) {
		v := mustNew(t, hookhub.Verification{Scheme: "github", Secret: fuzzSecret}, time.Time{})
		checkFuzzErr(t, v.Verify(request("X-Hub-Signature-256", sig256, "X-Hub-Signature", sig1), body), hookhub.EUNAUTHORIZED)
		// Whatever the body, its true signature passes.
		m := hmac.New(sha256.New, []byte(fuzzSecret))
		m.Write(body)
		good := "sha256=" + hex.EncodeToString(m.Sum(nil))
		if err := v.Verify(request("X-Hub-Signature-256", good, "X-Hub-Signature", sig1), body); err != nil {
			t.Fatalf("true signature rejected: %v", err)
		}
	})
}

func FuzzVerifySlack(f *testing.F) {
	f.Add("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "1531420618")
	f.Add("v0=", "99999999999999999999")
	f.Add("v0=00", "-5")
	f.Fuzz(func(t *testing.T, sig, ts string) {
		v := mustNew(t, hookhub.Verification{Scheme: "slack", Secret: fuzzSecret}, time.Unix(1531420618, 0))
		checkFuzzErr(t, v.Verify(request("X-Slack-Signature", sig, "X-Slack-Request-Timestamp", ts), []byte("x")), hookhub.EUNAUTHORIZED)
	})
}

func FuzzVerifyZendesk(f *testing.F) {
	f.Add("Rry/4TtIdFyawtXXp8QdI6tlAUUQ/5kL1OTp5qo/ZIk=", "2021-07-25T10:00:00Z")
	f.Add("====", "9999-99-99T99:99:99Z")
	f.Add("AA", "1627207200")
	f.Fuzz(func(t *testing.T, sig, ts string) {
		v := mustNew(t, hookhub.Verification{Scheme: "zendesk", Secret: fuzzSecret}, time.Date(2021, 7, 25, 10, 0, 0, 0, time.UTC))
		r := request("X-Zendesk-Webhook-Signature", sig, "X-Zendesk-Webhook-Signature-Timestamp", ts)
		checkFuzzErr(t, v.Verify(r, []byte("{}")), hookhub.EFORBIDDEN)
	})
}

func FuzzVerifyHMAC(f *testing.F) {
	f.Add("sha1=4cda6c1c0d0f97a9d0ea69a623fe95b0547edbb7", "1700000000", "id_1", "hex")
	f.Add("dpJhqHNXdwJsVboK9H0PnkpVXFIAMus44aaduqisbUIXI4Rp5sA1HKSqVZDmYainqeoDPx2gKZBw4mWTZaHiOg==", "2023-11-14T22:13:20Z", "", "base64")
	f.Add("sha1=", "", "x", "base64")
	f.Fuzz(func(t *testing.T, sig, ts, id, encoding string) {
		if encoding != "base64" {
			encoding = "hex"
		}
		cfg := hookhub.Verification{Scheme: "hmac", Secret: fuzzSecret, Header: "X-Sig", Prefix: "sha1=", Algorithm: "sha1",
			Encoding: encoding, Signed: "id.timestamp.body", TimestampHeader: "X-Ts", IDHeader: "X-Id"}
		v := mustNew(t, cfg, time.Unix(1700000000, 0))
		checkFuzzErr(t, v.Verify(request("X-Sig", sig, "X-Ts", ts, "X-Id", id), []byte(`{"a":1}`)), hookhub.EUNAUTHORIZED)
	})
}

func FuzzVerifyToken(f *testing.F) {
	f.Add("Bearer fuzz-secret-value")
	f.Add("bearer  ")
	f.Add("Basic Zm9vOmJhcg==")
	f.Fuzz(func(t *testing.T, h string) {
		v := mustNew(t, hookhub.Verification{Scheme: "token", Header: "Authorization", Secret: fuzzSecret}, time.Time{})
		checkFuzzErr(t, v.Verify(request("Authorization", h), nil), hookhub.EUNAUTHORIZED)
		b := mustNew(t, hookhub.Verification{Scheme: "basic", Username: "u", Password: fuzzSecret}, time.Time{})
		checkFuzzErr(t, b.Verify(request("Authorization", h), nil), hookhub.EUNAUTHORIZED)
	})
}
