package verify

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

func TestStandardEd25519(t *testing.T) {
	t.Parallel()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	otherPub, otherPriv, _ := ed25519.GenerateKey(rand.Reader)
	whpk := "whpk_" + base64.StdEncoding.EncodeToString(pub)
	otherWhpk := "whpk_" + base64.StdEncoding.EncodeToString(otherPub)

	id, ts, body := "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", "1700000000", []byte(`{"type":"invoice.paid"}`)
	now := time.Unix(1700000000, 0)
	sign := func(k ed25519.PrivateKey, msg string) string {
		return "v1a," + base64.StdEncoding.EncodeToString(ed25519.Sign(k, []byte(msg)))
	}
	good := sign(priv, id+"."+ts+"."+string(body))
	published := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

	tests := []struct {
		name, secret, previous, sig string
		body                        []byte
		msg                         string
	}{
		{"v1a alone", whpk, "", good, body, ""},
		{"v1a among others", whpk, "", "v1,AAAA v2,xyz " + sign(otherPriv, "x") + " " + good, body, ""},
		{"v1a with previous key", otherWhpk, whpk, good, body, ""},
		{"v1a wrong key", otherWhpk, "", good, body, reasonMismatch},
		{"v1a tampered body", whpk, "", good, []byte(`{"type":"invoice.paie"}`), reasonMismatch},
		{"v1a signed other id", whpk, "", sign(priv, "msg_x."+ts+"."+string(body)), body, reasonMismatch},
		{"v1a truncated", whpk, "", good[:len(good)-8], body, reasonMismatch},
		{"v1 signature, only a public key", whpk, "", published, body, reasonMismatch},
		{"v1a signature, only a secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "", good, body, reasonMismatch},
		{"hmac and public key together", whpk, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", good, body, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := hookhub.Verification{Scheme: "standard-webhooks", Secret: tt.secret, PreviousSecret: tt.previous}
			r := request("webhook-id", id, "webhook-timestamp", ts, "webhook-signature", tt.sig)
			err := mustNew(t, cfg, now).Verify(r, tt.body)
			code := ""
			if tt.msg != "" {
				code = hookhub.EUNAUTHORIZED
			}
			wantErr(t, err, code, tt.msg)
		})
	}
}

func TestStandardSecretForms(t *testing.T) {
	t.Parallel()
	r := func() []string {
		return []string{"webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp", "1614265330",
			"webhook-signature", "v1,bm90IGl0 v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}
	}
	body := []byte(`{"test": 2432232314}`)
	for _, secret := range []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"} {
		v := mustNew(t, hookhub.Verification{Scheme: "standard-webhooks", Secret: secret}, time.Unix(1614265330, 0))
		wantErr(t, v.Verify(request(r()...), body), "", "")
	}
}

func TestParseStandardSignatures(t *testing.T) {
	t.Parallel()
	got := parseStandardSignatures("  v1,AAAA\tv1a,AQID v2,AAAA v1 v1,%% ,AAAA v1,")
	if len(got) != 2 || got[0].version != "v1" || got[1].version != "v1a" || len(got[1].sig) != 3 {
		t.Fatalf("got %+v", got)
	}
	many := ""
	for range 100 {
		many += "v1,AAAA "
	}
	if n := len(parseStandardSignatures(many)); n != maxSignatures {
		t.Fatalf("kept %d signatures, want at most %d", n, maxSignatures)
	}
}
