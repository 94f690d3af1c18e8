package server

import (
	"context"
	"net/http"
	"time"
)

// handleHealthz says the process is alive; it touches nothing else.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReadyz says whether the store answers and its migrations are applied.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ready(ctx); err != nil {
		s.logger(r).Warn("not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: errorDetail{Code: "unavailable", Message: "store not ready"}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
