package hookhub

import (
	"crypto/rand"
	"encoding/binary"
	"time"
)

// ID prefixes, one per kind of object, so an ID says what it names.
const (
	PrefixSource      = "src"
	PrefixEvent       = "evt"
	PrefixDestination = "dst"
	PrefixDelivery    = "dlv"
	PrefixAttempt     = "att"
	PrefixIncident    = "inc"
	PrefixTimeline    = "itl"
	PrefixWorkflow    = "wfl"
	PrefixUser        = "usr"
	PrefixAPIKey      = "key"
)

// crockford is Crockford's base32 alphabet in lower case: sortable, no I/L/O/U.
const crockford = "0123456789abcdefghjkmnpqrstvwxyz"

// NewID returns prefix + "_" + 26 base32 characters: 48 bits of milliseconds since
// the epoch followed by 80 random bits, so IDs sort by creation time (as ULIDs do).
func NewID(prefix string) string {
	return newIDAt(prefix, time.Now())
}

func newIDAt(prefix string, t time.Time) string {
	var raw [16]byte
	binary.BigEndian.PutUint64(raw[:8], uint64(t.UnixMilli())<<16)
	rand.Read(raw[6:])
	buf := make([]byte, 0, len(prefix)+27)
	buf = append(buf, prefix...)
	buf = append(buf, '_')
	// 128 bits as 26 base32 digits, most significant first (the top 2 bits are zero).
	hi := binary.BigEndian.Uint64(raw[:8])
	lo := binary.BigEndian.Uint64(raw[8:])
	for i := 25; i >= 0; i-- {
		shift := uint(i * 5)
		var v uint64
		switch {
		case shift >= 64:
			v = hi >> (shift - 64)
		case shift > 59:
			v = lo>>shift | hi<<(64-shift)
		default:
			v = lo >> shift
		}
		buf = append(buf, crockford[v&31])
	}
	return string(buf)
}
