package signing

import (
	"crypto/hmac"
	"crypto/sha256"
)

// mac returns HMAC-SHA256 of the concatenated parts under key.
func mac(key []byte, parts ...[]byte) []byte {
	h := hmac.New(sha256.New, key)
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}
