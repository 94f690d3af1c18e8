package ingest

import (
	"encoding/json"

	"github.com/hookhub/hookhub"
)

// URLChallenge returns the answer a provider's endpoint check expects, when
// body is such a check: Slack's Events API verifies a Request URL by
// posting {"type": "url_verification", "challenge": "…"} and requires the
// challenge echoed back. The request is signed like any other, so it is
// answered only after it has been verified and stored.
func URLChallenge(sourceType string, body []byte) (string, bool) {
	if sourceType != hookhub.SourceSlack || len(body) == 0 || body[0] != '{' {
		return "", false
	}
	var v struct {
		Type      string `json:"type"`
		Challenge string `json:"challenge"`
	}
	if json.Unmarshal(body, &v) != nil || v.Type != "url_verification" || v.Challenge == "" {
		return "", false
	}
	return v.Challenge, true
}
