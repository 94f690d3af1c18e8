package console

import (
	"net/http"

	"github.com/hookhub/hookhub/access"
	"github.com/hookhub/hookhub/web"
)

func (c *Console) handleAccount(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusOK, "account", view{Title: "Your account"})
}

// handleChangePassword lets anyone signed in change their own password, after
// giving the current one; their other sessions end.
func (c *Console) handleChangePassword(w http.ResponseWriter, r *http.Request) {
	me := callerOf(r)
	u, err := c.store.GetUser(r.Context(), me.UserID)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	if !c.access.CheckUserPassword(u, r.PostFormValue("current")) {
		c.render(w, r, http.StatusForbidden, "account", view{Title: "Your account", Error: "The current password is wrong."})
		return
	}
	if r.PostFormValue("password") != r.PostFormValue("confirm") {
		c.render(w, r, http.StatusBadRequest, "account", view{Title: "Your account", Error: "The new passwords differ."})
		return
	}
	if _, err := c.access.UpdateUser(r.Context(), me, me.UserID, access.UserInput{Password: r.PostFormValue("password")}); err != nil {
		c.formError(w, r, err, func(status int, msg string) {
			c.render(w, r, status, "account", view{Title: "Your account", Error: msg})
		})
		return
	}
	redirect(w, r, "/account", "Password changed; your other sessions ended.")
}
