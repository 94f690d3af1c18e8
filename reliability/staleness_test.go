package reliability

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestDeletedSourceAcrossProcesses deletes a source through one process
// while another has just served it: from then on the other may refuse the
// source's webhooks, but any webhook it answers 2xx must be stored.
func TestDeletedSourceAcrossProcesses(t *testing.T) {
	needBinary(t)
	hubs := startTogether(t, newHubConfig(t, freshDatabase(t)), 2)
	a, b := hubs[0].api(), hubs[1]
	src := a.createSource(t, map[string]any{"name": "short-lived"})
	url := b.URL + "/hooks/" + src.Key
	post := func() (int, string) {
		resp, err := http.Post(url, "application/json", strings.NewReader(`{"n":1}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("X-Hookhub-Event-Id")
	}
	if status, _ := post(); status != 200 {
		t.Fatalf("before the delete: %d", status)
	}
	a.must(t, "DELETE", "/api/v1/sources/"+src.ID, nil, nil)
	deleted := time.Now()
	var lies, refused int
	var lastOK time.Duration
	oks := 0
	for time.Since(deleted) < 8*time.Second {
		status, id := post()
		switch {
		case status/100 == 2:
			oks++
			lastOK = time.Since(deleted)
			if code, _ := b.api().do("GET", "/api/v1/events/"+id, nil, nil); code != 200 {
				lies++
			}
		case status == 404:
			refused++
		default:
			t.Errorf("after the delete: %d", status)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if lies > 0 {
		t.Errorf("%d webhooks answered 2xx after their source was deleted were not stored", lies)
	}
	t.Logf("after the delete: %d refused with 404, %d answered 2xx (the last %s after it)", refused, oks, lastOK.Round(time.Millisecond))
}
