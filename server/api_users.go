package server

import (
	"context"
	"net/http"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/access"
	"github.com/hookhub/hookhub/web"
)

// userJSON is a user as the API shows it: never its password hash.
type userJSON struct {
	ID        string    `json:"id"`
	Username  string    `json:"username"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func userOut(u *hookhub.User) userJSON {
	return userJSON{ID: u.ID, Username: u.Username, Role: u.Role, CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC()}
}

// userInput is the body of user create and update.
type userInput struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Role     string `json:"role"`
}

func caller(r *http.Request) access.Caller {
	c, _ := access.CallerFrom(r.Context())
	return c
}

func (s *Server) handleListUsers(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.ListUsers(r.Context())
	if err != nil {
		web.Error(w, r, err)
		return
	}
	out := make([]userJSON, len(list))
	for i, u := range list {
		out[i] = userOut(u)
	}
	web.JSON(w, http.StatusOK, listJSON[userJSON]{Data: out})
}

func (s *Server) handleGetUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.store.GetUser(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, userOut(u))
}

func (s *Server) handleCreateUser(w http.ResponseWriter, r *http.Request) {
	var in userInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.Error(w, r, err)
		return
	}
	ctx, cancel := s.passwordContext(r, in.Password)
	defer cancel()
	u, err := s.access.CreateUser(ctx, caller(r), access.UserInput(in))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusCreated, userOut(u))
}

func (s *Server) handleUpdateUser(w http.ResponseWriter, r *http.Request) {
	var in userInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.Error(w, r, err)
		return
	}
	ctx, cancel := s.passwordContext(r, in.Password)
	defer cancel()
	u, err := s.access.UpdateUser(ctx, caller(r), r.PathValue("id"), access.UserInput(in))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, userOut(u))
}

// passwordHashTime is what hashing a password may take on top of the store
// deadline: the hash is slow on purpose (PBKDF2, 600,000 rounds), and
// slower still on a busy machine. It is CPU work, not a wait for the store.
const passwordHashTime = 30 * time.Second

// passwordContext is the context of a request that hashes password (when
// it is not empty): the store deadline and the time to hash it.
func (s *Server) passwordContext(r *http.Request, password string) (context.Context, context.CancelFunc) {
	if password == "" {
		return r.Context(), func() {}
	}
	return web.Extend(r, s.storeTimeout+passwordHashTime)
}

func (s *Server) handleDeleteUser(w http.ResponseWriter, r *http.Request) {
	if err := s.access.DeleteUser(r.Context(), caller(r), r.PathValue("id")); err != nil {
		web.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// meJSON says who the caller is and what it may do.
type meJSON struct {
	Actor    string `json:"actor"`
	Role     string `json:"role"`
	UserID   string `json:"user_id,omitempty"`
	Username string `json:"username,omitempty"`
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	c := caller(r)
	web.JSON(w, http.StatusOK, meJSON{Actor: c.Actor, Role: c.Role, UserID: c.UserID, Username: c.Username})
}
