package app

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// goPagerDutyEvent mirrors go-pagerduty's V2Event and V2Payload, field for
// field and tag for tag, so the body below is the one that client marshals.
type goPagerDutyEvent struct {
	RoutingKey string        `json:"routing_key"`
	Action     string        `json:"event_action"`
	DedupKey   string        `json:"dedup_key,omitempty"`
	Images     []interface{} `json:"images,omitempty"`
	Links      []interface{} `json:"links,omitempty"`
	Client     string        `json:"client,omitempty"`
	ClientURL  string        `json:"client_url,omitempty"`
	Payload    *struct {
		Summary   string      `json:"summary"`
		Source    string      `json:"source"`
		Severity  string      `json:"severity"`
		Timestamp string      `json:"timestamp,omitempty"`
		Component string      `json:"component,omitempty"`
		Group     string      `json:"group,omitempty"`
		Class     string      `json:"class,omitempty"`
		Details   interface{} `json:"custom_details,omitempty"`
	} `json:"payload,omitempty"`
}

// goPagerDutySend sends e as go-pagerduty's Client.ManageEventWithContext
// does when built with WithV2EventsAPIEndpoint(endpoint): a POST to
// endpoint + "/v2/enqueue" with its Accept, User-Agent and Content-Type
// headers and no Authorization. It returns the status and the decoded
// V2EventResponse.
func goPagerDutySend(t *testing.T, endpoint string, e goPagerDutyEvent) (int, map[string]any) {
	t.Helper()
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, endpoint+"/v2/enqueue", bytes.NewBuffer(data))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/vnd.pagerduty+json;version=2")
	req.Header.Set("User-Agent", "go-pagerduty/1.8.0")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("answer is not the JSON go-pagerduty decodes: %d %q", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("answer Content-Type %q: go-pagerduty reads errors only from application/json", ct)
	}
	return resp.StatusCode, out
}

// TestGoPagerDutyClientReachesIntake points a go-pagerduty style client at a
// pagerduty source's URL (both URL forms) and drives an alert through
// trigger, acknowledge and resolve.
// The intake path is decided before the store is reached;
// TestPagerDutyEventsAPI covers the incidents on both stores.
func TestGoPagerDutyClientReachesIntake(t *testing.T) {
	t.Parallel()
	h := startHub(t, "")
	var src, other source
	h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "pd", "type": "pagerduty"}, &src)
	h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "am", "type": "alertmanager"}, &other)

	trigger := goPagerDutyEvent{RoutingKey: "e93facc04764012d7bfb002500d5d1a6", Action: "trigger", DedupKey: "db/disk"}
	trigger.Payload = &struct {
		Summary   string      `json:"summary"`
		Source    string      `json:"source"`
		Severity  string      `json:"severity"`
		Timestamp string      `json:"timestamp,omitempty"`
		Component string      `json:"component,omitempty"`
		Group     string      `json:"group,omitempty"`
		Class     string      `json:"class,omitempty"`
		Details   interface{} `json:"custom_details,omitempty"`
	}{Summary: "disk 95% full on db-1", Source: "db-1", Severity: "critical", Details: map[string]any{"free": "5%"}}
	code, answer := goPagerDutySend(t, src.URL, trigger)
	if code != 202 || answer["status"] != "success" || answer["dedup_key"] != "db/disk" {
		t.Fatalf("trigger through the endpoint option: %d %v", code, answer)
	}
	typed := h.url + "/hooks/pagerduty/" + src.Key
	for _, action := range []string{"acknowledge", "resolve"} {
		e := goPagerDutyEvent{RoutingKey: trigger.RoutingKey, Action: action, DedupKey: "db/disk"}
		if code, answer := goPagerDutySend(t, typed, e); code != 202 || answer["dedup_key"] != "db/disk" {
			t.Fatalf("%s through the typed URL: %d %v", action, code, answer)
		}
	}
	list := h.incidents("source_id=" + src.ID)
	if len(list) != 1 || list[0].Status != "resolved" || list[0].Title != "disk 95% full on db-1" {
		t.Fatalf("incidents: %+v", list)
	}
	evs := h.events("source_id=" + src.ID)
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3", len(evs))
	}
	// A bad event gets PagerDuty's error shape there too.
	if code, answer := goPagerDutySend(t, src.URL, goPagerDutyEvent{RoutingKey: "x", Action: "explode"}); code != 400 || answer["status"] != "invalid event" {
		t.Fatalf("invalid event: %d %v", code, answer)
	}
	// The Events API path is a PagerDuty intake only.
	if code, _ := goPagerDutySend(t, other.URL, trigger); code != 404 {
		t.Fatalf("an alertmanager source answered %d at /v2/enqueue, want 404", code)
	}
	if len(h.events("source_id="+other.ID)) != 0 {
		t.Fatal("a request to an unknown path was stored")
	}
}
