package server

import (
	"context"
	"net/http"
	"time"

	"github.com/hookhub/hookhub/web"
)

// handleHealthz says the process is alive; it touches nothing else.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	web.JSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReadyz says whether the store answers and its migrations are applied.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ready(ctx); err != nil {
		web.Logger(r).Warn("not ready", "err", err)
		web.JSON(w, http.StatusServiceUnavailable, web.ErrorBody{Error: web.ErrorDetail{Code: "unavailable", Message: "store not ready"}})
		return
	}
	web.JSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
