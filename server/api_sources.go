package server

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/alert"
	"github.com/hookhub/hookhub/verify"
	"github.com/hookhub/hookhub/web"
)

func (s *Server) handleCreateSource(w http.ResponseWriter, r *http.Request) {
	var in sourceInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.Error(w, r, err)
		return
	}
	now := s.now().UTC()
	src := &hookhub.Source{ID: hookhub.NewID(hookhub.PrefixSource), Key: newSourceKey(), Active: true, CreatedAt: now, UpdatedAt: now}
	in.apply(src)
	if err := s.checkSource(r, src); err != nil {
		web.Error(w, r, err)
		return
	}
	if err := s.store.CreateSource(r.Context(), src); err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusCreated, s.sourceOut(src))
}

func (s *Server) handleGetSource(w http.ResponseWriter, r *http.Request) {
	src, err := s.store.GetSource(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, s.sourceOut(src))
}

func (s *Server) handleListSources(w http.ResponseWriter, r *http.Request) {
	page, err := pageOf(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	list, next, err := s.store.ListSources(r.Context(), page)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	out := make([]sourceJSON, len(list))
	for i, src := range list {
		out[i] = s.sourceOut(src)
	}
	web.JSON(w, http.StatusOK, listJSON[sourceJSON]{Data: out, NextCursor: next})
}

func (s *Server) handleUpdateSource(w http.ResponseWriter, r *http.Request) {
	var in sourceInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.Error(w, r, err)
		return
	}
	s.updateSource(w, r, func(src *hookhub.Source) { in.apply(src) })
}

// updateSource changes, checks and saves a source in the store's
// transaction, so that a concurrent edit is never overwritten with a stale
// copy, and answers it.
func (s *Server) updateSource(w http.ResponseWriter, r *http.Request, change func(*hookhub.Source)) {
	src, err := s.store.UpdateSource(r.Context(), r.PathValue("id"), func(src *hookhub.Source) error {
		change(src)
		src.UpdatedAt = s.now().UTC()
		return s.checkSource(r, src)
	})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, s.sourceOut(src))
}

// rotateInput is the body of a secret rotation: the new secret; the current one
// keeps working as the previous secret until it is cleared.
type rotateInput struct {
	Secret string `json:"secret"`
}

func (s *Server) handleRotateSourceSecret(w http.ResponseWriter, r *http.Request) {
	var in rotateInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.Error(w, r, err)
		return
	}
	if in.Secret == "" {
		web.Error(w, r, hookhub.Errorf(hookhub.EINVALID, "secret is required"))
		return
	}
	s.updateSource(w, r, func(src *hookhub.Source) {
		src.Verification.PreviousSecret, src.Verification.Secret = src.Verification.Secret, in.Secret
	})
}

func (s *Server) handleDeleteSource(w http.ResponseWriter, r *http.Request) {
	if err := s.store.DeleteSource(r.Context(), r.PathValue("id")); err != nil {
		web.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// checkSource fills defaults and validates a source, including that its
// verification settings build a working verifier and its destinations exist.
func (s *Server) checkSource(r *http.Request, src *hookhub.Source) error {
	preset := verify.PresetFor(src.Type)
	if src.Verification.Scheme == "" {
		src.Verification.Scheme = preset.Scheme
		// Events API v2 senders sign nothing: the unguessable URL key is the
		// credential. A secret turns on PagerDuty's webhook signature.
		if src.Type == hookhub.SourcePagerDuty && src.Verification.Secret == "" {
			src.Verification.Scheme = "none"
		}
	}
	if len(src.ContentTypes) == 0 {
		src.ContentTypes = preset.ContentTypes
	}
	src.SetDefaults()
	if err := src.Validate(); err != nil {
		return err
	}
	if _, err := verify.New(src.Verification, s.now); err != nil {
		return err
	}
	if err := alert.Validate(src.Alert); err != nil {
		return err
	}
	for _, id := range src.DestinationIDs {
		if _, err := s.store.GetDestination(r.Context(), id); hookhub.ErrorCode(err) == hookhub.ENOTFOUND {
			return hookhub.Errorf(hookhub.EINVALID, "destination_ids: no destination %s", id)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// newSourceKey returns an unguessable URL key: 144 random bits.
func newSourceKey() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
