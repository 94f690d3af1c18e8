package console

import (
	"net/http"
)

func (c *Console) handleSourceRotate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := c.api.Call(r.Context(), callerOf(r), "POST", "/api/v1/sources/"+id+"/rotate-secret",
		map[string]string{"secret": r.PostFormValue("secret")}, nil)
	if err != nil {
		c.actionError(w, r, err, "/sources/"+id)
		return
	}
	redirect(w, r, "/sources/"+id, "Secret rotated: the previous one is still accepted until you rotate again.")
}

func (c *Console) handleSourceDelete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := c.api.Call(r.Context(), callerOf(r), "DELETE", "/api/v1/sources/"+id, nil, nil); err != nil {
		c.actionError(w, r, err, "/sources/"+id)
		return
	}
	redirect(w, r, "/sources", "Source deleted with its events.")
}

// handleSourceActive turns a source on or off: an inactive source refuses
// webhooks with its inactive status and keeps everything else.
func (c *Console) handleSourceActive(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	on := r.PostFormValue("active") == "true"
	if err := c.api.Call(r.Context(), callerOf(r), "PATCH", "/api/v1/sources/"+id, map[string]bool{"active": on}, nil); err != nil {
		c.actionError(w, r, err, "/sources/"+id)
		return
	}
	msg := "Source deactivated: it refuses webhooks until activated."
	if on {
		msg = "Source activated: it accepts webhooks."
	}
	redirect(w, r, "/sources/"+id, msg)
}
