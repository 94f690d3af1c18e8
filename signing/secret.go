package signing

import (
	"crypto/rand"
	"encoding/base64"
)

// secretBytes is the key length of a generated secret: 192 bits, as the
// Standard Webhooks reference implementations use.
const secretBytes = 24

// NewSecret returns a fresh random secret, "whsec_" followed by base64 of 24
// random bytes. It suits every scheme: standard-webhooks decodes it, the
// others use the string as is.
func NewSecret() string {
	b := make([]byte, secretBytes)
	rand.Read(b) // never fails; crashes the program if the OS cannot supply randomness
	return secretPrefix + base64.StdEncoding.EncodeToString(b)
}
