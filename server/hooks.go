package server

import (
	"errors"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/alert"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/mediatype"
	"github.com/hookhub/hookhub/verify"
	"github.com/hookhub/hookhub/web"
)

// handleHook receives a webhook at /hooks/{key}, /hooks/{key}/ or
// /hooks/{type}/{key}/. It answers 2xx only after the event is committed.
func (s *Server) handleHook(w http.ResponseWriter, r *http.Request) {
	cs, err := s.endpoint(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	src := cs.src
	if s.rateLimited(w, r, src) {
		return
	}
	ev := s.newEvent(r, cs)
	wf, err := s.workflowOf(r.Context(), src)
	if err != nil {
		web.Logger(r).Error("load the source's workflow", "source_id", src.ID, "err", err)
		web.Error(w, r, hookhub.Errorf(hookhub.EUNAVAILABLE, "could not load the webhook's workflow; retry later"))
		return
	}
	if !src.Active || wf.disabled() {
		s.reject(w, r, ev, src.InactiveStatus, hookhub.Errorf(hookhub.EFORBIDDEN, "source is inactive"))
		return
	}
	if !methodAllowed(src, r.Method) {
		w.Header().Set("Allow", strings.Join(src.AllowedMethods, ", "))
		web.Error(w, r, hookhub.Errorf(hookhub.EMETHOD, "method %s not allowed; use %s", r.Method, strings.Join(src.AllowedMethods, " or ")))
		return
	}
	body, err := readAcceptable(w, r, src)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	ev.Body = body
	if err := s.verify(r, cs, ev, body); err != nil {
		ev.Verification.Result, ev.Verification.Reason = hookhub.VerifyFailed, hookhub.ErrorMessage(err)
		if c := verify.Challenge(err); c != "" {
			w.Header().Set("WWW-Authenticate", c)
		}
		s.reject(w, r, ev, 0, err)
		return
	}
	decoded, err := s.understand(src, ev)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	var alerts []hookhub.Alert
	if src.Alert.Kind != "" {
		var ok bool
		if alerts, ok = s.readAlerts(w, r, src, ev, decoded); !ok {
			return
		}
	}
	s.accept(w, r, src, ev, alerts, decoded, wf)
}

// endpoint returns the source a request's path names, or ENOTFOUND when the
// path names none: an unknown key, a type segment other than the source's,
// or an intake path the source does not take.
func (s *Server) endpoint(r *http.Request) (*cachedSource, error) {
	key, typ, sub, ok := hookPath(r.URL.Path)
	if !ok {
		return nil, errNoEndpoint()
	}
	cs, err := s.lookupSource(r, key)
	if err != nil {
		return nil, err
	}
	if (typ != "" && typ != cs.src.Type) || !alert.IntakePath(cs.src.Alert.Kind, sub) {
		return nil, errNoEndpoint()
	}
	return cs, nil
}

func errNoEndpoint() error { return hookhub.Errorf(hookhub.ENOTFOUND, "no such webhook endpoint") }

// lookupSource finds the source with key within the store timeout. An
// unknown key is ENOTFOUND; any other failure means the store could not
// answer, and the sender is told to retry (503), never that the endpoint is
// gone or that something broke for good.
func (s *Server) lookupSource(r *http.Request, key string) (*cachedSource, error) {
	cs, err := s.sources.get(r.Context(), key) // bounded by the store timeout on a miss
	switch hookhub.ErrorCode(err) {
	case "":
		return cs, nil
	case hookhub.ENOTFOUND:
		return nil, errNoEndpoint()
	}
	web.Logger(r).Error("ingest source lookup failed", "err", err)
	return nil, hookhub.Errorf(hookhub.EUNAVAILABLE, "could not look up the webhook endpoint; retry later")
}

// hookPath splits /hooks/{key}[/] and /hooks/{type}/{key}/, each optionally
// followed by an alert intake's own path (sub), such as PagerDuty's
// /v2/enqueue: clients of those APIs take a base URL and append it.
func hookPath(p string) (key, typ, sub string, ok bool) {
	rest, found := strings.CutPrefix(p, "/hooks/")
	if !found {
		return "", "", "", false
	}
	rest = strings.TrimSuffix(rest, "/")
	for _, s := range alert.IntakePaths {
		if r, cut := strings.CutSuffix(rest, s); cut {
			rest, sub = r, s
			break
		}
	}
	parts := strings.Split(rest, "/")
	switch {
	case len(parts) == 1 && parts[0] != "":
		return parts[0], "", sub, true
	case len(parts) == 2 && parts[0] != "" && parts[1] != "":
		return parts[1], parts[0], sub, true
	}
	return "", "", "", false
}

func methodAllowed(src *hookhub.Source, m string) bool {
	for _, a := range src.AllowedMethods {
		if a == m {
			return true
		}
	}
	return false
}

// readAcceptable reads the body and checks its media type. The media type is
// checked before the signature: a body the source can never accept gets 415
// whatever its signature says.
func readAcceptable(w http.ResponseWriter, r *http.Request, src *hookhub.Source) ([]byte, error) {
	body, err := readBody(w, r, src.MaxBodyBytes)
	if err != nil {
		return nil, err
	}
	if ct := r.Header.Get("Content-Type"); len(body) > 0 || ct != "" {
		if err := mediatype.Check(ct, src.ContentTypes); err != nil {
			return nil, err
		}
	}
	return body, nil
}

// readBody reads at most limit bytes, refusing a larger declared length before
// reading anything.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	tooLarge := func() error { return hookhub.Errorf(hookhub.ETOOLARGE, "body larger than %d bytes", limit) }
	if r.ContentLength > limit {
		return nil, tooLarge()
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err == nil {
		return body, nil
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, tooLarge()
	case hookhub.ErrorCode(err) == hookhub.ETIMEOUT:
		return nil, err // the body did not arrive in time: 408
	case busy(err):
		return nil, err
	}
	return nil, hookhub.Errorf(hookhub.EINVALID, "could not read body")
}

func (s *Server) verifyRequest(r *http.Request, cs *cachedSource, body []byte) error {
	if cs.err != nil {
		web.Logger(r).Error("source verification misconfigured", "source_id", cs.src.ID, "err", cs.err)
		return hookhub.Errorf(hookhub.EUNAUTHORIZED, "source verification is misconfigured")
	}
	return cs.verifier.Verify(r, body)
}

func (s *Server) newEvent(r *http.Request, cs *cachedSource) *hookhub.Event {
	src := cs.src
	scheme, result := src.Verification.Scheme, hookhub.VerifyVerified
	// Alert presets without a secret build a None verifier: nothing is
	// checked, so nothing may be called verified.
	if _, none := cs.verifier.(*verify.None); none || scheme == "" {
		result = hookhub.VerifyNone
	}
	// Credentials are masked here, before anything reads the event: it is
	// stored, shown, streamed and forwarded as it is built now.
	headers, query := ingest.Mask(src.Verification, r.Header, r.URL.RawQuery)
	ev := &hookhub.Event{
		ID: hookhub.NewID(hookhub.PrefixEvent), SourceID: src.ID, Status: hookhub.EventAccepted,
		ReceivedAt: s.now().UTC(), Method: r.Method, Path: r.URL.Path, RawQuery: query,
		Headers: headers, ClientIP: clientIP(r),
		Verification: hookhub.VerificationResult{Scheme: scheme, Result: result},
	}
	s.carryTrace(r.Context(), ev)
	return ev
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
