package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"

	"github.com/hookhub/hookhub"
)

// apiKeyPrefix marks Hookhub API keys so secret scanners can find leaked ones.
const apiKeyPrefix = "hh_"

// NewAPIKey returns a key's ID and its full secret form "hh_<id>_<random>".
// Only HashAPIKey(full) is stored; the ID lets the server find the row without
// comparing against every key.
func NewAPIKey() (id, full string) {
	id = hookhub.NewID(hookhub.PrefixAPIKey)
	return id, apiKeyFor(id)
}

func apiKeyFor(id string) string {
	b := make([]byte, 32)
	rand.Read(b)
	return apiKeyPrefix + id + "_" + base64.RawURLEncoding.EncodeToString(b)
}

// APIKeyID returns the ID part of a full key, and false when full is not shaped
// like a Hookhub key.
func APIKeyID(full string) (string, bool) {
	rest, ok := strings.CutPrefix(full, apiKeyPrefix)
	if !ok {
		return "", false
	}
	// IDs are "key_" + 26 characters; the secret part follows after "_".
	const idLen = len(hookhub.PrefixAPIKey) + 1 + 26
	if len(rest) < idLen+2 || rest[idLen] != '_' {
		return "", false
	}
	id := rest[:idLen]
	// Only an ID's own characters: anything else (a NUL, bytes that are
	// not UTF-8) names no key and must not reach the database.
	for i := len(hookhub.PrefixAPIKey) + 1; i < idLen; i++ {
		if c := id[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z') {
			return "", false
		}
	}
	if !strings.HasPrefix(id, hookhub.PrefixAPIKey+"_") {
		return "", false
	}
	return id, true
}

// HashAPIKey returns the SHA-256 of a full key. A fast hash is right here: keys
// carry 256 random bits, so there is nothing for a slow hash to protect.
func HashAPIKey(full string) []byte {
	h := sha256.Sum256([]byte(full))
	return h[:]
}

// CheckAPIKey reports whether full hashes to hash, in constant time.
func CheckAPIKey(hash []byte, full string) bool {
	return subtle.ConstantTimeCompare(hash, HashAPIKey(full)) == 1
}
