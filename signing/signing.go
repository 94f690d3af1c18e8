// Package signing signs outbound webhook requests so receivers can tell they
// come from Hookhub and were not altered on the way.
//
// Each scheme is a small Signer registered by name. During a secret rotation
// (PreviousSecret set and PreviousUntil still ahead) a scheme whose header
// holds a list of signatures (standard-webhooks) carries one made with each
// secret, current first, so a receiver keeps verifying whichever secret it
// knows until the old one expires. A scheme whose verifiers read exactly one
// signature (hub-signature, timestamp-body) signs with the current secret
// alone: a joined pair would verify nowhere.
package signing

import (
	"net/http"
	"slices"
	"time"

	"github.com/hookhub/hookhub"
)

// Signer adds signature headers to one outbound request.
type Signer interface {
	// Sign sets the scheme's headers on h for a message with the given id,
	// send time and exact body bytes.
	Sign(h http.Header, msgID string, ts time.Time, body []byte)
}

// constructor builds a Signer from the destination's config and the secrets
// in force, current first.
type constructor func(cfg hookhub.SigningConfig, secrets []string) (Signer, error)

// constructors maps a scheme name to its constructor. It is built per call so
// the package keeps no mutable state.
func constructors() map[string]constructor {
	return map[string]constructor{
		hookhub.SignStandardWebhooks: newStandardWebhooks,
		hookhub.SignHubSignature:     newHubSignature,
		hookhub.SignTimestampBody:    newTimestampBody,
		hookhub.SignNone:             func(hookhub.SigningConfig, []string) (Signer, error) { return None{}, nil },
	}
}

// Schemes returns the names of every signing scheme, sorted.
func Schemes() []string {
	names := make([]string, 0, 4)
	for name := range constructors() {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// New returns the Signer for cfg as of now; an empty scheme means
// standard-webhooks. It fails with EINVALID for an unknown scheme, a missing
// secret or a secret the scheme cannot use.
func New(cfg hookhub.SigningConfig, now time.Time) (Signer, error) {
	scheme := cfg.Scheme
	if scheme == "" {
		scheme = hookhub.SignStandardWebhooks
	}
	build, ok := constructors()[scheme]
	if !ok {
		return nil, hookhub.Errorf(hookhub.EINVALID, "unknown signing scheme %q; use one of %v", scheme, Schemes())
	}
	if scheme == hookhub.SignNone {
		return build(cfg, nil)
	}
	if cfg.Secret == "" {
		return nil, hookhub.Errorf(hookhub.EINVALID, "signing scheme %q needs a secret", scheme)
	}
	secrets := activeSecrets(cfg, now)
	if scheme != hookhub.SignStandardWebhooks {
		if cfg.Algorithm != "" && cfg.Algorithm != hookhub.SignAlgHMACSHA256 {
			return nil, hookhub.Errorf(hookhub.EINVALID, "signing scheme %q signs with %s only; ed25519 is for %s",
				scheme, hookhub.SignAlgHMACSHA256, hookhub.SignStandardWebhooks)
		}
		for _, s := range secrets {
			if IsSigningKey(s) {
				return nil, hookhub.Errorf(hookhub.EINVALID, "signing scheme %q cannot use an ed25519 signing key", scheme)
			}
		}
	}
	return build(cfg, secrets)
}

// KeyMatches reports whether cfg's current secret is of the kind its scheme
// and algorithm sign with: a whsk_ key for standard-webhooks with ed25519, a
// shared secret otherwise. A destination whose secret does not match needs a
// new one.
func KeyMatches(cfg hookhub.SigningConfig) bool {
	ed := cfg.Scheme == hookhub.SignStandardWebhooks && cfg.Algorithm == hookhub.SignAlgEd25519
	return IsSigningKey(cfg.Secret) == ed
}

// activeSecrets returns the current secret and, while the rotation window is
// open, the previous one after it.
func activeSecrets(cfg hookhub.SigningConfig, now time.Time) []string {
	secrets := []string{cfg.Secret}
	if cfg.PreviousSecret != "" && now.Before(cfg.PreviousUntil) {
		secrets = append(secrets, cfg.PreviousSecret)
	}
	return secrets
}

// None is the scheme that adds no headers.
type None struct{}

var _ Signer = None{}

// Sign does nothing.
func (None) Sign(http.Header, string, time.Time, []byte) {}
