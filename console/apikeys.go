package console

import (
	"net/http"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/access"
	"github.com/hookhub/hookhub/web"
)

// keysPage lists the API keys; New holds a key just created, shown once.
type keysPage struct {
	Keys  []*hookhub.APIKey
	Users map[string]string
	Roles []string
	New   *access.NewKey
	Next  string
}

func (c *Console) handleAPIKeys(w http.ResponseWriter, r *http.Request) {
	c.keysPage(w, r, http.StatusOK, nil, "")
}

func (c *Console) keysPage(w http.ResponseWriter, r *http.Request, status int, nk *access.NewKey, msg string) {
	keys, next, err := c.store.ListAPIKeys(r.Context(), hookhub.Page{Cursor: r.URL.Query().Get("cursor"), Limit: 100})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	users := map[string]string{}
	if list, err := c.store.ListUsers(r.Context()); err == nil {
		for _, u := range list {
			users[u.ID] = u.Username
		}
	}
	c.render(w, r, status, "apikeys", view{Title: "API keys", Nav: "keys", Error: msg,
		Data: keysPage{Keys: keys, Users: users, Roles: hookhub.Roles, New: nk, Next: pageLink(r, next)}})
}

// handleAPIKeyCreate makes a key and shows it on this answer only.
func (c *Console) handleAPIKeyCreate(w http.ResponseWriter, r *http.Request) {
	nk, err := c.access.CreateKey(r.Context(), callerOf(r), r.PostFormValue("name"), r.PostFormValue("role"))
	if err != nil {
		c.formError(w, r, err, func(status int, msg string) { c.keysPage(w, r, status, nil, msg) })
		return
	}
	c.keysPage(w, r, http.StatusCreated, nk, "")
}

func (c *Console) handleAPIKeyRevoke(w http.ResponseWriter, r *http.Request) {
	if err := c.access.RevokeKey(r.Context(), callerOf(r), r.PathValue("id")); err != nil {
		c.actionError(w, r, err, "/api-keys")
		return
	}
	redirect(w, r, "/api-keys", "API key revoked: it stopped working at once.")
}
