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
