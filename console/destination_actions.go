package console

import (
	"fmt"
	"net/http"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// destinationActions are the buttons of a destination page, as API paths.
var destinationActions = map[string]string{
	"enable": "enable", "pause": "pause", "resume": "resume", "delete": "",
}

func (c *Console) handleDestinationAction(w http.ResponseWriter, r *http.Request) {
	id, action := r.PathValue("id"), r.PathValue("action")
	api, ok := destinationActions[action]
	if !ok {
		web.Error(w, r, hookhub.Errorf(hookhub.ENOTFOUND, "no such action"))
		return
	}
	method, path := "POST", "/api/v1/destinations/"+id+"/"+api
	if action == "delete" {
		method, path = "DELETE", "/api/v1/destinations/"+id
	}
	if err := c.api.Call(r.Context(), callerOf(r), method, path, nil, nil); err != nil {
		c.actionError(w, r, err, "/destinations/"+id)
		return
	}
	if action == "delete" {
		redirect(w, r, "/destinations", "Destination deleted.")
		return
	}
	redirect(w, r, "/destinations/"+id, map[string]string{"enable": "Destination enabled.",
		"pause": "Destination paused: new deliveries wait until you resume it.", "resume": "Destination resumed."}[action])
}

// testResult is the API's answer to a test send.
type testResult struct {
	DeliveryID string `json:"delivery_id"`
	Success    bool   `json:"success"`
	Attempt    struct {
		StatusCode int    `json:"status_code"`
		DurationMS int64  `json:"duration_ms"`
		Error      string `json:"error"`
	} `json:"attempt"`
}

// handleDestinationTest is seed 000's Send Test Alert: it sends a sample
// alert now and shows the attempt.
func (c *Console) handleDestinationTest(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var res testResult
	if err := c.api.Call(r.Context(), callerOf(r), "POST", "/api/v1/destinations/"+id+"/test", nil, &res); err != nil {
		c.actionError(w, r, err, "/destinations/"+id)
		return
	}
	to := "/deliveries/" + res.DeliveryID
	if res.Success {
		redirect(w, r, to, fmt.Sprintf("Test alert delivered: %d in %d ms.", res.Attempt.StatusCode, res.Attempt.DurationMS))
		return
	}
	what := res.Attempt.Error
	if what == "" {
		what = fmt.Sprintf("the receiver answered %d", res.Attempt.StatusCode)
	}
	redirectError(w, r, to, "Test alert failed: "+what+".")
}

// handleResendFailed resends the destination's failed deliveries created in
// the chosen range.
func (c *Console) handleResendFailed(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	body := map[string]any{}
	for _, k := range []string{"since", "until"} {
		if t, s := parseLocal(r.PostFormValue(k)); s != "" {
			body[k] = t.Format(time.RFC3339)
		}
	}
	var out struct {
		Requeued int `json:"requeued"`
	}
	if err := c.api.Call(r.Context(), callerOf(r), "POST", "/api/v1/destinations/"+id+"/resend-failed", body, &out); err != nil {
		c.actionError(w, r, err, "/destinations/"+id)
		return
	}
	redirect(w, r, "/destinations/"+id+"?status=pending", plural(out.Requeued, "failed delivery", "failed deliveries")+" queued to be sent again.")
}
