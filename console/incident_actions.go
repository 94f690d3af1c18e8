package console

import (
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// actionDone says what a lifecycle button did.
var actionDone = map[string]string{
	hookhub.ActionAcknowledge: "Acknowledged: the team sees someone is on it.",
	hookhub.ActionResolve:     "Resolved.",
	hookhub.ActionClose:       "Closed.",
	hookhub.ActionReopen:      "Reopened.",
}

func (c *Console) handleIncidentAction(w http.ResponseWriter, r *http.Request) {
	id, action := r.PathValue("id"), r.PathValue("action")
	if _, ok := actionDone[action]; !ok {
		web.Error(w, r, hookhub.Errorf(hookhub.ENOTFOUND, "no such action"))
		return
	}
	var body any
	if msg := strings.TrimSpace(r.PostFormValue("message")); msg != "" {
		body = map[string]string{"body": msg}
	}
	if err := c.api.Call(r.Context(), callerOf(r), "POST", "/api/v1/incidents/"+id+"/"+action, body, nil); err != nil {
		c.actionError(w, r, err, "/incidents/"+id)
		return
	}
	redirect(w, r, "/incidents/"+id, actionDone[action])
}

func (c *Console) handleIncidentComment(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	body := map[string]string{"body": r.PostFormValue("body")}
	if err := c.api.Call(r.Context(), callerOf(r), "POST", "/api/v1/incidents/"+id+"/comments", body, nil); err != nil {
		c.actionError(w, r, err, "/incidents/"+id)
		return
	}
	redirect(w, r, "/incidents/"+id, "Comment added.")
}
