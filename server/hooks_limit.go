package server

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/limit"
	"github.com/hookhub/hookhub/web"
)

// maxReserve is the most a declared Content-Length reserves up front: the
// largest body any source may accept. A larger declaration is refused with
// 413 by the source's own limit, not 503 by the gate.
const maxReserve = 64 << 20

// admit passes a webhook request through the ingest gate, which caps the
// requests and body bytes held at once. Past the cap the request is answered
// 503 with Retry-After before anything is read or looked up.
func (s *Server) admit(next http.Handler) http.Handler {
	if s.gate == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tk, err := s.gate.Enter(min(max(r.ContentLength, 0), maxReserve))
		if err != nil {
			s.metrics.Ingested.WithLabelValues("busy").Inc()
			w.Header().Set("Retry-After", "1")
			web.Error(w, r, err)
			return
		}
		defer tk.Release()
		r.Body = tk.Body(r.Body)
		next.ServeHTTP(w, r)
	})
}

// rateLimited spends a token of the source's bucket, or answers 429 with
// Retry-After and reports true. Nothing is stored for a limited request:
// storing it is the cost the limit is there to avoid.
func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request, src *hookhub.Source) bool {
	ok, wait := s.rates.Allow(src.ID, limit.Rate(src.RateLimit), s.now())
	if ok {
		return false
	}
	secs := max(1, int(math.Ceil(wait.Seconds())))
	s.metrics.Ingested.WithLabelValues("rate_limited").Inc()
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	web.Error(w, r, hookhub.Errorf(hookhub.ERATELIMIT, "this source accepts %g requests a second; retry after %d s", src.RateLimit.PerSecond, secs))
	return true
}

// busy reports whether reading a body failed because the gate is full.
func busy(err error) bool { return errors.Is(err, limit.ErrBusy) }

// IngestInFlight returns the webhook requests and body bytes the ingest gate
// holds now (zeros without a gate).
func (s *Server) IngestInFlight() (requests int, bytes int64) {
	if s.gate == nil {
		return 0, 0
	}
	return s.gate.InFlight()
}
