package client

import (
	"context"
	"iter"
	"net/url"
	"strconv"
)

// Page is one page of a list: {"data": [...], "next_cursor": "…"}.
type Page[T any] struct {
	Data       []T    `json:"data"`
	NextCursor string `json:"next_cursor"`
}

// ListOptions pages a list; a zero value asks for the first page of the
// server's default size.
type ListOptions struct {
	Cursor string
	Limit  int // 1 to 500; 0 means the server's default
}

func (o ListOptions) values() url.Values {
	q := url.Values{}
	if o.Cursor != "" {
		q.Set("cursor", o.Cursor)
	}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	return q
}

// Each walks every item of a list, page by page, calling list with the
// cursor of each next page; it stops at the first error, which it yields.
func Each[T any](ctx context.Context, list func(ctx context.Context, cursor string) (*Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		cursor := ""
		for {
			p, err := list(ctx, cursor)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range p.Data {
				if !yield(item, nil) {
					return
				}
			}
			if p.NextCursor == "" || len(p.Data) == 0 {
				return
			}
			cursor = p.NextCursor
		}
	}
}

// All collects every item of a list; see Each.
func All[T any](ctx context.Context, list func(ctx context.Context, cursor string) (*Page[T], error)) ([]T, error) {
	var out []T
	for item, err := range Each(ctx, list) {
		if err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, nil
}

// listPage fetches one page of a list at path with extra query parameters.
func listPage[T any](ctx context.Context, c *Client, path string, q url.Values, o ListOptions) (*Page[T], error) {
	for k, v := range o.values() {
		q[k] = v
	}
	var p Page[T]
	if err := c.call(ctx, request{method: "GET", path: path, query: q}, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// setIf adds a query parameter when its value is not empty.
func setIf(q url.Values, key, value string) {
	if value != "" {
		q.Set(key, value)
	}
}
