package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/hookhub/hookhub/web"
	"go.opentelemetry.io/otel/trace"
)

// instrument records metrics, a log line and, when tracing, a server span
// for one route. route is the
// pattern, known when the route is registered, so labels stay bounded.
func (s *Server) instrument(route string, quiet bool, next http.Handler) http.Handler {
	return s.instrumentTraced(route, quiet, s.traced(route), next)
}

// instrumentTraced is instrument with the choice of a server span made by
// the caller: the console's in-process API calls get none, since no
// request of a caller's arrives with them.
func (s *Server) instrumentTraced(route string, quiet, traced bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &web.StatusWriter{ResponseWriter: w}
		var span trace.Span
		if traced {
			r, span = s.startRequest(r, route)
		}
		next.ServeHTTP(sw, r)
		if sw.Status == 0 {
			sw.Status = http.StatusOK
		}
		if traced {
			endRequest(span, sw.Status)
		}
		d := time.Since(start)
		s.metrics.observe(route, sw.Status, d)
		if !quiet || sw.Status >= 400 {
			web.Logger(r).Info("request", "method", r.Method, "route", route, "status", sw.Status,
				"duration_ms", strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64))
		}
	})
}
