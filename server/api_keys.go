package server

import (
	"net/http"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// apiKeyJSON is an API key as the API shows it; the key itself only once,
// in the answer to its creation.
type apiKeyJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Role       string     `json:"role"`
	UserID     string     `json:"user_id,omitempty"`
	Key        string     `json:"key,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

func apiKeyOut(k *hookhub.APIKey) apiKeyJSON {
	out := apiKeyJSON{ID: k.ID, Name: k.Name, Role: k.Role, UserID: k.UserID, CreatedAt: k.CreatedAt.UTC()}
	if !k.LastUsedAt.IsZero() {
		t := k.LastUsedAt.UTC()
		out.LastUsedAt = &t
	}
	return out
}

// apiKeyInput is the body of a key's creation.
type apiKeyInput struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

func (s *Server) handleListAPIKeys(w http.ResponseWriter, r *http.Request) {
	page, err := pageOf(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	list, next, err := s.store.ListAPIKeys(r.Context(), page)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	out := make([]apiKeyJSON, len(list))
	for i, k := range list {
		out[i] = apiKeyOut(k)
	}
	web.JSON(w, http.StatusOK, listJSON[apiKeyJSON]{Data: out, NextCursor: next})
}

func (s *Server) handleCreateAPIKey(w http.ResponseWriter, r *http.Request) {
	var in apiKeyInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.Error(w, r, err)
		return
	}
	nk, err := s.access.CreateKey(r.Context(), caller(r), in.Name, in.Role)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	out := apiKeyOut(nk.Key)
	out.Key = nk.Secret
	web.JSON(w, http.StatusCreated, out)
}

func (s *Server) handleRevokeAPIKey(w http.ResponseWriter, r *http.Request) {
	if err := s.access.RevokeKey(r.Context(), caller(r), r.PathValue("id")); err != nil {
		web.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
