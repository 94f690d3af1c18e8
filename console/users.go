package console

import (
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/access"
	"github.com/hookhub/hookhub/web"
)

// usersPage lists the users with the forms to add and change them.
type usersPage struct {
	Users []*hookhub.User
	Roles []string
	Me    string
}

func (c *Console) handleUsers(w http.ResponseWriter, r *http.Request) {
	c.usersPage(w, r, http.StatusOK, "")
}

func (c *Console) usersPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	list, err := c.store.ListUsers(r.Context())
	if err != nil {
		web.Error(w, r, err)
		return
	}
	c.render(w, r, status, "users", view{Title: "Users", Nav: "users", Error: msg,
		Data: usersPage{Users: list, Roles: hookhub.Roles, Me: callerOf(r).UserID}})
}

func (c *Console) handleUserCreate(w http.ResponseWriter, r *http.Request) {
	in := access.UserInput{Username: strings.TrimSpace(r.PostFormValue("username")), Password: r.PostFormValue("password"),
		Role: r.PostFormValue("role")}
	u, err := c.access.CreateUser(r.Context(), callerOf(r), in)
	if err != nil {
		c.formError(w, r, err, func(status int, msg string) { c.usersPage(w, r, status, msg) })
		return
	}
	redirect(w, r, "/users", "User "+u.Username+" added: they sign in with the password you set.")
}

// handleUserUpdate changes a user's role or sets a new password.
func (c *Console) handleUserUpdate(w http.ResponseWriter, r *http.Request) {
	in := access.UserInput{Role: r.PostFormValue("role"), Password: r.PostFormValue("password")}
	u, err := c.access.UpdateUser(r.Context(), callerOf(r), r.PathValue("id"), in)
	if err != nil {
		c.actionError(w, r, err, "/users")
		return
	}
	msg := "User " + u.Username + " is now " + u.Role + "."
	if in.Password != "" {
		msg = "New password set for " + u.Username + "; their other sessions ended."
	}
	redirect(w, r, "/users", msg)
}

func (c *Console) handleUserDelete(w http.ResponseWriter, r *http.Request) {
	if err := c.access.DeleteUser(r.Context(), callerOf(r), r.PathValue("id")); err != nil {
		c.actionError(w, r, err, "/users")
		return
	}
	redirect(w, r, "/users", "User deleted; their sessions and API keys ended with them.")
}
