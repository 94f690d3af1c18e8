package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// maxParams bounds the parameters of one statement, below SQLite's (32766)
// and PostgreSQL's (65535) limits, so batches are written in few round trips.
const maxParams = 8000

// placeholders returns n comma-separated ? placeholders.
func placeholders(n int) string {
	return "?" + strings.Repeat(", ?", n-1)
}

// insertRows inserts rows of equal width with multi-row VALUES statements:
// one round trip per few hundred rows rather than one per row.
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, head string, rows [][]any) error {
	_, err := s.insertRowsCounted(ctx, tx, head, "", rows)
	return err
}

// insertRowsCounted is insertRows with tail (a conflict clause) after each
// statement's values; it returns how many rows went in.
func (s *Store) insertRowsCounted(ctx context.Context, tx *sql.Tx, head, tail string, rows [][]any) (int64, error) {
	if len(rows) == 0 {
		return 0, nil
	}
	width := len(rows[0])
	tuple := "(" + placeholders(width) + ")"
	var total int64
	for _, n := range sizedChunks(len(rows), max(1, maxParams/width)) {
		chunk := rows[:n]
		rows = rows[n:]
		args := make([]any, 0, n*width)
		for _, r := range chunk {
			args = append(args, r...)
		}
		query := head + " VALUES " + tuple + strings.Repeat(", "+tuple, n-1) + tail
		res, err := s.txExec(ctx, tx, query, args...)
		if err != nil {
			return 0, err
		}
		if tail == "" {
			total += int64(n)
			continue
		}
		affected, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		total += affected
	}
	return total, nil
}

// existing returns which of ids are in table (a constant of ours, never
// input), locking the rows against deletion until the transaction ends on
// databases with row locks.
func (s *Store) existing(ctx context.Context, tx *sql.Tx, table string, ids []string) (map[string]bool, error) {
	found := make(map[string]bool, len(ids))
	for _, chunk := range sizedIDChunks(ids, maxParams) {
		query := `SELECT id FROM ` + table + ` WHERE id IN (` + placeholders(len(chunk)) + `) ORDER BY id ` + s.d.shareRows
		rows, err := s.txQuery(ctx, tx, query, anys(chunk)...)
		if err != nil {
			return nil, fmt.Errorf("look up %s: %w", table, err)
		}
		ids, err := scanAll(rows, scanString)
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("look up %s: %w", table, err)
		}
		for _, id := range ids {
			found[id] = true
		}
	}
	return found, nil
}

func scanString(row scanner) (string, error) {
	var v string
	err := row.Scan(&v)
	return v, err
}

// chunks splits ids into slices of at most n.
func chunks(ids []string, n int) [][]string {
	var out [][]string
	for len(ids) > 0 {
		c := ids[:min(len(ids), n)]
		out = append(out, c)
		ids = ids[len(c):]
	}
	return out
}

// sizedIDChunks splits ids as sizedChunks does, so IN lists come in a few
// fixed lengths.
func sizedIDChunks(ids []string, max int) [][]string {
	var out [][]string
	for _, n := range sizedChunks(len(ids), max) {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	return out
}

// anys converts strings to query arguments.
func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// distinct returns the distinct non-empty values, in first-seen order.
func distinct(vals []string) []string {
	seen := make(map[string]bool, len(vals))
	var out []string
	for _, v := range vals {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
