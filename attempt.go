package hookhub

import (
	"slices"
	"sort"
)

// What an attempt keeps. A receiver decides what it answers, so what is
// stored of its answer is bounded whatever it sends.
const (
	MaxAttemptBody    = 64 << 10 // bytes of response body
	MaxAttemptHeaders = 16 << 10 // bytes of names and values, per set of headers
	MaxAttemptError   = 1 << 10  // bytes of error text
)

// Parts of an attempt that Limit may cut, as named in Attempt.Truncated.
const (
	TruncatedRequestHeaders  = "request_headers"
	TruncatedResponseHeaders = "response_headers"
	TruncatedResponseBody    = "response_body"
	TruncatedError           = "error"
)

// Limit cuts the attempt to what is kept (MaxAttempt*) and adds the parts it
// cut to Truncated. Cutting twice changes nothing more.
func (a *Attempt) Limit() {
	var cut bool
	if a.RequestHeaders, cut = limitHeaders(a.RequestHeaders, MaxAttemptHeaders); cut {
		a.truncated(TruncatedRequestHeaders)
	}
	if a.ResponseHeaders, cut = limitHeaders(a.ResponseHeaders, MaxAttemptHeaders); cut {
		a.truncated(TruncatedResponseHeaders)
	}
	if len(a.ResponseBody) > MaxAttemptBody {
		a.ResponseBody = a.ResponseBody[:MaxAttemptBody]
		a.truncated(TruncatedResponseBody)
	}
	if len(a.Error) > MaxAttemptError {
		a.Error = a.Error[:MaxAttemptError]
		a.truncated(TruncatedError)
	}
}

func (a *Attempt) truncated(part string) {
	if !slices.Contains(a.Truncated, part) {
		a.Truncated = append(a.Truncated, part)
	}
}

// limitHeaders keeps headers, in name order, while their names and values
// fit in budget bytes; the value that crosses the budget keeps its start. It
// returns h itself when everything fits, and whether it cut anything.
func limitHeaders(h map[string][]string, budget int) (map[string][]string, bool) {
	size := 0
	for k, vs := range h {
		for _, v := range vs {
			size += len(k) + len(v)
		}
	}
	if size <= budget {
		return h, false
	}
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make(map[string][]string)
	for _, k := range names {
		for _, v := range h[k] {
			if budget < len(k) {
				return out, true
			}
			budget -= len(k)
			if len(v) > budget {
				out[k] = append(out[k], v[:budget])
				return out, true
			}
			budget -= len(v)
			out[k] = append(out[k], v)
		}
	}
	return out, true
}
