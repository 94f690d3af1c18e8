package ingest

import (
	"testing"

	"github.com/hookhub/hookhub"
)

func TestURLChallenge(t *testing.T) {
	for _, tc := range []struct {
		typ, body, want string
		ok              bool
	}{
		{hookhub.SourceSlack, `{"token":"x","challenge":"3eZbrw1aB","type":"url_verification"}`, "3eZbrw1aB", true},
		{hookhub.SourceSlack, `{"type":"event_callback","event":{"type":"message"}}`, "", false},
		{hookhub.SourceSlack, `{"type":"url_verification"}`, "", false},
		{hookhub.SourceSlack, `payload=x`, "", false},
		{hookhub.SourceGeneric, `{"challenge":"c","type":"url_verification"}`, "", false},
	} {
		got, ok := URLChallenge(tc.typ, []byte(tc.body))
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s %s: (%q, %v), want (%q, %v)", tc.typ, tc.body, got, ok, tc.want, tc.ok)
		}
	}
}
