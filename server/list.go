package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/hookhub/hookhub"
)

// listJSON is the shape of every list answer.
type listJSON[T any] struct {
	Data       []T    `json:"data"`
	NextCursor string `json:"next_cursor"`
}

// pageOf reads ?cursor= and ?limit=.
func pageOf(r *http.Request) (hookhub.Page, error) {
	p := hookhub.Page{Cursor: r.URL.Query().Get("cursor")}
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			return p, hookhub.Errorf(hookhub.EINVALID, "limit must be a number from 1 to 500")
		}
		p.Limit = n
	}
	return p, nil
}

// timeParam reads an optional RFC 3339 query parameter.
func timeParam(r *http.Request, name string) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, hookhub.Errorf(hookhub.EINVALID, "%s must be an RFC 3339 time such as 2026-01-02T15:04:05Z", name)
	}
	return t, nil
}

// oneOf checks an optional enumerated query parameter.
func oneOf(r *http.Request, name string, allowed ...string) (string, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return "", nil
	}
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", hookhub.Errorf(hookhub.EINVALID, "%s must be one of %v", name, allowed)
}
