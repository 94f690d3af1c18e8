package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/hookhub/hookhub"
)

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// where collects the conditions of a list query.
type where struct {
	conds []string
	args  []any
}

// add appends a condition with its ? arguments.
func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// pageQuery finishes a newest-first list query: rows after the cursor, one
// more than the page so that we know whether another page follows.
func pageQuery(base string, w *where, p hookhub.Page) (string, []any) {
	if p.Cursor != "" {
		w.add("id < ?", p.Cursor)
	}
	args := append(w.args, p.PageLimit()+1)
	return base + w.String() + " ORDER BY id DESC LIMIT ?", args
}

// pageQueryAsc is pageQuery oldest first: rows after the cursor in
// ascending ID order.
func pageQueryAsc(base string, w *where, p hookhub.Page) (string, []any) {
	if p.Cursor != "" {
		w.add("id > ?", p.Cursor)
	}
	args := append(w.args, p.PageLimit()+1)
	return base + w.String() + " ORDER BY id LIMIT ?", args
}

// queryAll runs a query on the read pool and scans every row.
func queryAll[T any](ctx context.Context, s *Store, query string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := s.poolQuery(ctx, s.read, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanAll(rows, scan)
}

func scanAll[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// listPage runs a query built by pageQuery and returns the page and the next
// cursor ("" on the last page).
func listPage[T any](ctx context.Context, s *Store, query string, args []any, p hookhub.Page,
	scan func(scanner) (T, error), id func(T) string) ([]T, string, error) {
	items, err := queryAll(ctx, s, query, args, scan)
	if err != nil {
		return nil, "", err
	}
	if limit := p.PageLimit(); len(items) > limit {
		return items[:limit], id(items[limit-1]), nil
	}
	return items, "", nil
}
