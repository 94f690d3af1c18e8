package verify

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"strings"

	"github.com/hookhub/hookhub"
)

// keyring holds the current secret and, during a rotation, the previous one.
// Either may sign a request.
type keyring [][]byte

// secrets returns cfg's secret and previous secret as HMAC keys, used as is.
// The secret is required.
func secrets(cfg hookhub.Verification) (keyring, error) {
	if cfg.Secret == "" {
		return nil, invalid("verification.secret is required for scheme %s", cfg.Scheme)
	}
	k := keyring{[]byte(cfg.Secret)}
	if cfg.PreviousSecret != "" {
		k = append(k, []byte(cfg.PreviousSecret))
	}
	return k, nil
}

// macs returns one MAC of the concatenated parts per key. Parts are written
// one by one so a large body is never copied to build the signed message.
func (k keyring) macs(h func() hash.Hash, parts ...[]byte) [][]byte {
	out := make([][]byte, len(k))
	for i, key := range k {
		m := hmac.New(h, key)
		for _, p := range parts {
			m.Write(p)
		}
		out[i] = m.Sum(nil)
	}
	return out
}

// anyEqual reports whether any of got equals any of want, comparing each pair
// in constant time.
func anyEqual(want, got [][]byte) bool {
	for _, w := range want {
		for _, g := range got {
			if hmac.Equal(w, g) {
				return true
			}
		}
	}
	return false
}

// sameSecret compares a presented secret with the expected one in constant
// time. Both are hashed first because subtle.ConstantTimeCompare returns early
// on a length difference, which would leak the secret's length.
func sameSecret(got, want string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// hashes maps the algorithm names a generic HMAC source may choose.
var hashes = map[string]func() hash.Hash{
	"sha1":   sha1.New,
	"sha256": sha256.New,
	"sha512": sha512.New,
}

// sigEncoding is how a signature is written out: hex or base64.
type sigEncoding struct {
	decode func(string) ([]byte, bool)
	encode func([]byte) string
}

var (
	hexSig    = sigEncoding{decode: decodeHex, encode: hex.EncodeToString}
	base64Sig = sigEncoding{decode: decodeBase64, encode: base64.StdEncoding.EncodeToString}
)

// decodeHex reads a hex signature; providers differ in letter case.
func decodeHex(s string) ([]byte, bool) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	return b, err == nil && len(b) > 0
}

// decodeBase64 reads a standard-alphabet base64 signature, padded or not, as
// senders differ on padding. Decoding is strict so that no two spellings of
// one signature are accepted (non-zero trailing bits are refused).
func decodeBase64(s string) ([]byte, bool) {
	s = strings.TrimSpace(s)
	enc := base64.StdEncoding
	if !strings.HasSuffix(s, "=") {
		enc = base64.RawStdEncoding
	}
	b, err := enc.Strict().DecodeString(s)
	return b, err == nil && len(b) > 0
}
