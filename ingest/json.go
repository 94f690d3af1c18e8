package ingest

import (
	"bytes"
	"unicode/utf8"

	"github.com/hookhub/hookhub"
)

// DefaultMaxDepth is the nesting depth CheckJSON allows when given 0 or less.
const DefaultMaxDepth = 64

// CheckJSON reports whether body is exactly one JSON value, valid UTF-8 and
// nested no deeper than maxDepth, as an *hookhub.Error with code EINVALID.
//
// It scans the bytes once with an explicit stack instead of decoding, so a
// hostile body nested 10,000 deep costs a few microseconds and no Go stack.
// Offsets in messages are zero-based byte offsets into body.
func CheckJSON(body []byte, maxDepth int) error {
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	switch {
	case len(bytes.TrimLeft(body, " \t\r\n")) == 0:
		return hookhub.Errorf(hookhub.EINVALID, "empty body")
	case !utf8.Valid(body):
		return hookhub.Errorf(hookhub.EINVALID, "body is not valid UTF-8")
	case bytes.HasPrefix(body, []byte("\xef\xbb\xbf")):
		// RFC 8259 forbids the mark and encoding/json rejects it; say so plainly.
		return hookhub.Errorf(hookhub.EINVALID, "invalid JSON: body starts with a byte order mark")
	}
	s := scanner{data: body, max: maxDepth}
	return s.check()
}
