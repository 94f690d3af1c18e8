package hookhub

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
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
	PrefixWorkflow    = "wf"
	PrefixRun         = "run"
	PrefixUser        = "usr"
	PrefixAPIKey      = "key"
)

// crockford is Crockford's base32 alphabet in lower case: sortable, no I/L/O/U.
const crockford = "0123456789abcdefghjkmnpqrstvwxyz"

// NewID returns prefix + "_" + 26 base32 characters: 48 bits of milliseconds since
// the epoch followed by 80 random bits, so IDs sort by creation time (as ULIDs do).
// IDs made by one process in the same millisecond also sort in creation order,
// so that lists ordered by ID show events in the order they arrived.
func NewID(prefix string) string {
	return defaultIDs.next(prefix, time.Now())
}

// defaultIDs is the process's monotonic ID source: IDs are process-wide by
// nature, so this is the one piece of package state.
var defaultIDs idSource

// idSource makes IDs that strictly increase: within one millisecond (or if the
// clock steps back) the previous ID's random part is incremented instead of
// drawn anew, as ULID's monotonic mode does.
type idSource struct {
	mu   sync.Mutex
	last [16]byte
}

func (s *idSource) next(prefix string, t time.Time) string {
	var raw [16]byte
	binary.BigEndian.PutUint64(raw[:8], uint64(t.UnixMilli())<<16)
	rand.Read(raw[6:])
	s.mu.Lock()
	if lastMS := binary.BigEndian.Uint64(s.last[:8]) >> 16; uint64(t.UnixMilli()) <= lastMS {
		raw = s.last
		increment(&raw)
	}
	s.last = raw
	s.mu.Unlock()
	return encodeID(prefix, raw)
}

// increment adds one to the 128-bit big-endian number; a carry out of the
// random part moves into the millisecond, which keeps the order.
func increment(raw *[16]byte) {
	for i := 15; i >= 0; i-- {
		raw[i]++
		if raw[i] != 0 {
			return
		}
	}
}

func newIDAt(prefix string, t time.Time) string {
	var raw [16]byte
	binary.BigEndian.PutUint64(raw[:8], uint64(t.UnixMilli())<<16)
	rand.Read(raw[6:])
	return encodeID(prefix, raw)
}

func encodeID(prefix string, raw [16]byte) string {
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

// FirstIDAt returns the smallest ID with prefix made at t: every ID made at
// or after t sorts at or after it, so a time range is an ID range.
func FirstIDAt(prefix string, t time.Time) string {
	var raw [16]byte
	binary.BigEndian.PutUint64(raw[:8], uint64(t.UnixMilli())<<16)
	return encodeID(prefix, raw)
}
