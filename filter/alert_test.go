package filter

import (
	"encoding/json"
	"testing"

	"github.com/hookhub/hookhub"
)

func TestAlertAndLogTypes(t *testing.T) {
	panther := `{"id":"AllLogs.IPMonitoring","severity":"INFO","type":"RULE","alertContext":{"ip":"1.2.3.4","logType":"AWS.VPCFlow"}}`
	top := `{"type":"POLICY","logTypes":["AWS.CloudTrail","Okta.SystemLog"]}`
	none := `{"title":"no type"}`
	for _, tc := range []struct {
		name    string
		f       hookhub.Filter
		payload string
		want    bool
	}{
		{"no lists match all", hookhub.Filter{}, none, true},
		{"alert type", hookhub.Filter{AlertTypes: []string{"rule"}}, panther, true},
		{"other alert type", hookhub.Filter{AlertTypes: []string{"POLICY"}}, panther, false},
		{"no type, list set", hookhub.Filter{AlertTypes: []string{"RULE"}}, none, false},
		{"log type in context", hookhub.Filter{LogTypes: []string{"aws.vpcflow"}}, panther, true},
		{"log types on top", hookhub.Filter{LogTypes: []string{"Okta.SystemLog"}}, top, true},
		{"log type not there", hookhub.Filter{LogTypes: []string{"GCP.AuditLog"}}, top, false},
		{"both must match", hookhub.Filter{AlertTypes: []string{"POLICY"}, LogTypes: []string{"AWS.VPCFlow"}}, top, false},
		{"both match", hookhub.Filter{AlertTypes: []string{"POLICY", "RULE"}, LogTypes: []string{"AWS.CloudTrail"}}, top, true},
	} {
		m, err := Compile(tc.f)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(tc.f.AlertTypes)+len(tc.f.LogTypes) > 0 && !m.NeedsPayload() {
			t.Errorf("%s: a filter on alert or log types does not ask for the payload", tc.name)
		}
		var payload any
		json.Unmarshal([]byte(tc.payload), &payload)
		if got := m.Match(Input{Type: "alert", Payload: payload}); got != tc.want {
			t.Errorf("%s: match %v, want %v", tc.name, got, tc.want)
		}
	}
	if _, err := Compile(hookhub.Filter{LogTypes: []string{" "}}); hookhub.ErrorCode(err) != hookhub.EINVALID {
		t.Errorf("an empty log type: %v", err)
	}
}
