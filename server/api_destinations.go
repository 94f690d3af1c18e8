package server

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/filter"
	"github.com/hookhub/hookhub/netguard"
	"github.com/hookhub/hookhub/ordering"
	"github.com/hookhub/hookhub/signing"
	"github.com/hookhub/hookhub/transform"
	"github.com/hookhub/hookhub/web"
)

func (s *Server) handleCreateDestination(w http.ResponseWriter, r *http.Request) {
	var in destinationInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.Error(w, r, err)
		return
	}
	now := s.now().UTC()
	d := &hookhub.Destination{ID: hookhub.NewID(hookhub.PrefixDestination), Enabled: true, AllowManualDispatch: true, CreatedAt: now, UpdatedAt: now}
	if err := in.apply(d); err != nil {
		web.Error(w, r, err)
		return
	}
	if err := checkDestination(d, now); err != nil {
		web.Error(w, r, err)
		return
	}
	if err := s.checkReachable(d); err != nil {
		web.Error(w, r, err)
		return
	}
	shown := newSigningKey(d, now)
	if err := s.store.CreateDestination(r.Context(), d); err != nil {
		web.Error(w, r, err)
		return
	}
	// A new webhook gets a ping so its receiver sees it is wired up. An event
	// bus gets none: its consumers would take a ping for an event; POST
	// /test publishes a test message when asked.
	if d.Type == hookhub.DestinationWebhook {
		if err := s.sendPing(r, d); err != nil {
			web.Logger(r).Warn("could not queue ping", "destination_id", d.ID, "err", err)
		}
	}
	out := destinationOut(d)
	out.Secret = shown
	web.JSON(w, http.StatusCreated, out)
}

func (s *Server) handleGetDestination(w http.ResponseWriter, r *http.Request) {
	d, err := s.store.GetDestination(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, destinationOut(d))
}

func (s *Server) handleListDestinations(w http.ResponseWriter, r *http.Request) {
	page, err := pageOf(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	list, next, err := s.store.ListDestinations(r.Context(), page)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	out := make([]destinationJSON, len(list))
	for i, d := range list {
		out[i] = destinationOut(d)
	}
	web.JSON(w, http.StatusOK, listJSON[destinationJSON]{Data: out, NextCursor: next})
}

func (s *Server) handleUpdateDestination(w http.ResponseWriter, r *http.Request) {
	var in destinationInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.Error(w, r, err)
		return
	}
	var newSecret string
	s.updateDestinationThen(w, r, func(d *hookhub.Destination) error {
		if err := in.apply(d); err != nil {
			return err
		}
		if in.Enabled != nil && *in.Enabled {
			d.DisabledReason, d.ConsecutiveFailures = "", 0
		}
		// A destination switched from unsigned to signed, or to a scheme or
		// algorithm its secret does not suit, gets a new secret here, shown
		// in this answer only, as on creation.
		newSecret = newSigningKey(d, s.now())
		return nil
	}, func(d *hookhub.Destination, out *destinationJSON) error {
		out.Secret = newSecret
		// The pause state moves the destination's deliveries, so it has its
		// own store call, made once the other settings are saved.
		if in.Paused == nil || *in.Paused == d.Paused {
			return nil
		}
		if err := s.setPaused(r, d.ID, *in.Paused); err != nil {
			return err
		}
		out.Paused = *in.Paused
		return nil
	})
}

// handlePauseDestination pauses (or resumes) a destination: while paused it
// keeps receiving events, but its deliveries are held, pending, until resumed.
// Resuming releases them to the queue with their retry schedule intact.
func (s *Server) handlePauseDestination(paused bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if err := s.setPaused(r, id, paused); err != nil {
			web.Error(w, r, err)
			return
		}
		d, err := s.store.GetDestination(r.Context(), id)
		if err != nil {
			web.Error(w, r, err)
			return
		}
		web.JSON(w, http.StatusOK, destinationOut(d))
	}
}

func (s *Server) setPaused(r *http.Request, id string, paused bool) error {
	n, err := s.store.PauseDestination(r.Context(), id, paused, s.now().UTC())
	if err != nil {
		return err
	}
	if !paused {
		s.notify()
	}
	web.Logger(r).Info("destination pause changed", "destination_id", id, "paused", paused, "deliveries", n)
	return nil
}

// handleEnableDestination re-enables a destination that was disabled by hand,
// by a 410 or by repeated failures.
func (s *Server) handleEnableDestination(w http.ResponseWriter, r *http.Request) {
	s.updateDestination(w, r, func(d *hookhub.Destination) error {
		d.Enabled, d.DisabledReason, d.ConsecutiveFailures = true, "", 0
		return nil
	})
}

// rotateDestinationInput sets how long the old secret keeps signing.
type rotateDestinationInput struct {
	GraceSeconds *int `json:"grace_seconds"`
}

// defaultRotationGrace is how long both secrets sign after a rotation.
const defaultRotationGrace = 24 * time.Hour

// handleRotateDestinationSecret makes a new signing secret, shown once; the old
// one also signs until the grace period ends so receivers can switch over.
func (s *Server) handleRotateDestinationSecret(w http.ResponseWriter, r *http.Request) {
	var in rotateDestinationInput
	if r.ContentLength != 0 {
		if err := web.DecodeJSON(w, r, &in); err != nil {
			web.Error(w, r, err)
			return
		}
	}
	grace := defaultRotationGrace
	if in.GraceSeconds != nil {
		if *in.GraceSeconds < 0 || *in.GraceSeconds > 30*24*3600 {
			web.Error(w, r, hookhub.Errorf(hookhub.EINVALID, "grace_seconds must be between 0 and 2592000"))
			return
		}
		grace = time.Duration(*in.GraceSeconds) * time.Second
	}
	var secret string
	s.updateDestinationThen(w, r, func(d *hookhub.Destination) error {
		if d.Signing.Scheme == hookhub.SignNone {
			return hookhub.Errorf(hookhub.ECONFLICT, "destination is not signed (signing.scheme is none)")
		}
		d.Signing.PreviousSecret, d.Signing.PreviousUntil = d.Signing.Secret, s.now().Add(grace).UTC()
		d.Signing.Secret = signing.NewSecretFor(d.Signing)
		secret = shownSecret(d.Signing)
		return nil
	}, func(_ *hookhub.Destination, out *destinationJSON) error {
		out.Secret = secret
		return nil
	})
}

func (s *Server) handleDeleteDestination(w http.ResponseWriter, r *http.Request) {
	if err := s.store.DeleteDestination(r.Context(), r.PathValue("id")); err != nil {
		web.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) updateDestination(w http.ResponseWriter, r *http.Request, change func(*hookhub.Destination) error) {
	s.updateDestinationThen(w, r, change, nil)
}

// updateDestinationThen changes, checks and saves a destination in the
// store's transaction, so that nothing changed meanwhile (a failure the
// engine recorded, its auto-disable, another edit) is overwritten with a
// stale copy; then it answers it (after then, when given).
func (s *Server) updateDestinationThen(w http.ResponseWriter, r *http.Request, change func(*hookhub.Destination) error,
	then func(*hookhub.Destination, *destinationJSON) error) {
	d, err := s.store.UpdateDestination(r.Context(), r.PathValue("id"), func(d *hookhub.Destination) (*hookhub.NewEvent, error) {
		oldTarget := targetKey(d)
		if err := change(d); err != nil {
			return nil, err
		}
		d.UpdatedAt = s.now().UTC()
		if err := checkDestination(d, d.UpdatedAt); err != nil {
			return nil, err
		}
		// Only a new address is checked against the guard, so that a
		// destination the allowlist no longer covers can still be renamed or
		// disabled.
		if targetKey(d) != oldTarget {
			if err := s.checkReachable(d); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	out := destinationOut(d)
	if then != nil {
		if err := then(d, &out); err != nil {
			web.Error(w, r, err)
			return
		}
	}
	web.JSON(w, http.StatusOK, out)
}

// destinationChecker is offered by a Sender that knows every destination
// type (the delivery engine), so that settings it would refuse — an address
// outside the outbound allowlist, a template that does not compile — are
// refused when saved.
type destinationChecker interface {
	CheckDestination(d *hookhub.Destination) error
}

// checkReachable refuses a destination whose address the sender may not
// connect to, such as 127.0.0.1 outside the outbound allowlist, or whose
// settings its sender cannot use. Host names are checked when they resolve.
func (s *Server) checkReachable(d *hookhub.Destination) error {
	c, ok := s.sender.(destinationChecker)
	if !ok {
		return nil
	}
	if err := c.CheckDestination(d); err != nil {
		field := d.Type
		if d.Type == hookhub.DestinationWebhook {
			field = "url"
		}
		return hookhub.Errorf(hookhub.EINVALID, "%s: %s", field, hookhub.ErrorMessage(err))
	}
	return nil
}

// targetKey sums up where a destination delivers to, to tell whether an
// update changed it.
func targetKey(d *hookhub.Destination) string {
	b, _ := json.Marshal([]any{d.Type, d.URL, d.EventBridge, d.NATS, d.RabbitMQ, d.Redis, d.Kafka, d.MQTT})
	return string(b)
}

// checkDestination fills defaults and validates everything a destination
// holds: its fields, URL, signing scheme and filter (a bad CEL expression is
// reported here, at save time, not when events flow).
func checkDestination(d *hookhub.Destination, now time.Time) error {
	d.SetDefaults()
	if err := d.Validate(); err != nil {
		return err
	}
	if _, err := filter.Compile(d.Filter); err != nil {
		return err
	}
	if err := ordering.Check(d); err != nil {
		return err
	}
	if d.Transform != "" {
		if _, err := transform.Compile(d.Transform); err != nil {
			return err
		}
	}
	if d.Type != hookhub.DestinationWebhook {
		return nil
	}
	if err := netguard.CheckURL(d.URL); err != nil {
		return err
	}
	probe := d.Signing
	if probe.Scheme != hookhub.SignNone && (probe.Secret == "" || !signing.KeyMatches(probe)) {
		probe.Secret = signing.NewSecretFor(probe)
	}
	if _, err := signing.New(probe, now); err != nil {
		return err
	}
	return nil
}

// newSigningKey gives a signed destination whose secret is missing, or not of
// the kind its scheme and algorithm sign with, a new one, and returns what
// the answer may show of it (see shownSecret). Moving between the two
// standard-webhooks algorithms is a rotation: the old secret keeps signing
// for defaultRotationGrace, so a receiver sees both signatures until it has
// switched. Any other change of kind drops the old secret, which the new
// scheme could not use.
func newSigningKey(d *hookhub.Destination, now time.Time) string {
	sg := &d.Signing
	if sg.Scheme == hookhub.SignNone || (sg.Secret != "" && signing.KeyMatches(*sg)) {
		return ""
	}
	if sg.Secret != "" && sg.Scheme == hookhub.SignStandardWebhooks {
		sg.PreviousSecret, sg.PreviousUntil = sg.Secret, now.Add(defaultRotationGrace).UTC()
	} else if sg.Scheme != hookhub.SignStandardWebhooks {
		sg.PreviousSecret, sg.PreviousUntil = "", time.Time{}
	}
	sg.Secret = signing.NewSecretFor(*sg)
	return shownSecret(*sg)
}

// shownSecret is the secret an answer shows once: a shared secret, which the
// receiver needs. An ed25519 signing key never leaves the server; receivers
// get its public key, shown on every read.
func shownSecret(sg hookhub.SigningConfig) string {
	if signing.IsSigningKey(sg.Secret) {
		return ""
	}
	return sg.Secret
}
