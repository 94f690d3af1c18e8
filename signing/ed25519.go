package signing

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"strings"

	"github.com/hookhub/hookhub"
)

// Prefixes of a Standard Webhooks ed25519 key pair: the signing (private) key
// and the verifying (public) key, each followed by base64.
const (
	privateKeyPrefix = "whsk_"
	publicKeyPrefix  = "whpk_"
)

// NewKeyPair returns a fresh ed25519 signing key, "whsk_" followed by base64
// of the 64-byte private key (seed then public key, as Go and libsodium
// store it). PublicKey derives the whpk_ key receivers verify with.
func NewKeyPair() string {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic("signing: no randomness: " + err.Error()) // crypto/rand never fails on a working system
	}
	return privateKeyPrefix + base64.StdEncoding.EncodeToString(priv)
}

// NewSecretFor returns a fresh secret of the kind cfg's algorithm uses: an
// ed25519 signing key for standard-webhooks with ed25519, otherwise a whsec_
// secret.
func NewSecretFor(cfg hookhub.SigningConfig) string {
	if cfg.Algorithm == hookhub.SignAlgEd25519 {
		return NewKeyPair()
	}
	return NewSecret()
}

// IsSigningKey reports whether secret is an ed25519 signing key (whsk_).
func IsSigningKey(secret string) bool {
	return strings.HasPrefix(secret, privateKeyPrefix)
}

// PublicKey returns the whpk_ public key of a whsk_ signing key.
func PublicKey(secret string) (string, error) {
	priv, err := decodeSigningKey(secret)
	if err != nil {
		return "", err
	}
	return publicKeyPrefix + base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey)), nil
}

// decodeSigningKey reads "whsk_" followed by base64 of either the 64-byte
// private key or its 32-byte seed (RFC 8032's form). A 64-byte key whose
// second half is not the seed's public key is refused, since signing with it
// would produce signatures no receiver can verify.
func decodeSigningKey(secret string) (ed25519.PrivateKey, error) {
	b64, ok := strings.CutPrefix(secret, privateKeyPrefix)
	if !ok {
		return nil, hookhub.Errorf(hookhub.EINVALID, "an ed25519 signing key must start with %q", privateKeyPrefix)
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "ed25519 signing key: %q must be followed by base64", privateKeyPrefix)
	}
	switch len(b) {
	case ed25519.SeedSize:
		return ed25519.NewKeyFromSeed(b), nil
	case ed25519.PrivateKeySize:
		priv := ed25519.NewKeyFromSeed(b[:ed25519.SeedSize])
		if !priv.Equal(ed25519.PrivateKey(b)) {
			return nil, hookhub.Errorf(hookhub.EINVALID, "ed25519 signing key: its public half does not match its seed")
		}
		return priv, nil
	}
	return nil, hookhub.Errorf(hookhub.EINVALID, "ed25519 signing key must be 32 or 64 bytes, not %d", len(b))
}
