package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hookhub/hookhub/client"
)

// apiFlags are the flags of every command that talks to a server. Their
// values come from the flag, else the environment, else the default; the
// environment is read after parsing so help never prints a key.
type apiFlags struct {
	e      *env
	server string
	apiKey string
	alias  *string // events tail's older --url
}

func addAPIFlags(fs *flag.FlagSet, e *env) *apiFlags {
	a := &apiFlags{e: e}
	fs.StringVar(&a.server, "server", "", "Hookhub server `URL` (env HOOKHUB_SERVER, default "+client.DefaultServer+")")
	fs.StringVar(&a.apiKey, "api-key", "", "API `key` (env HOOKHUB_API_KEY)")
	return a
}

// client builds the API client, or says in one line what is missing.
func (a *apiFlags) client() (*client.Client, error) {
	server := firstSet(a.server, deref(a.alias), a.e.getenv("HOOKHUB_SERVER"), a.e.getenv("HOOKHUB_URL"), client.DefaultServer)
	key := firstSet(a.apiKey, a.e.getenv("HOOKHUB_API_KEY"))
	if key == "" {
		return nil, usagef("an API key is needed: pass --api-key or set HOOKHUB_API_KEY (serve prints one on first start)")
	}
	c, err := client.New(server, key, nil)
	if err != nil {
		return nil, usagef("--server: %v", err)
	}
	c.UserAgent = "hookhub-cli"
	return c, nil
}

func firstSet(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// listFlags page a list and choose its output.
type listFlags struct {
	limit  int
	cursor string
	all    bool
	json   bool
}

func addListFlags(fs *flag.FlagSet) *listFlags {
	l := &listFlags{}
	fs.IntVar(&l.limit, "limit", 20, "how many to show, 1 to 500")
	fs.StringVar(&l.cursor, "cursor", "", "continue a list from the `cursor` the previous page printed")
	fs.BoolVar(&l.all, "all", false, "walk every page")
	fs.BoolVar(&l.json, "json", false, "print JSON (the API's objects) instead of a table")
	return l
}

func (l *listFlags) options() client.ListOptions {
	return client.ListOptions{Cursor: l.cursor, Limit: l.limit}
}

// timeFlag parses an RFC 3339 time or a duration ago such as 1h.
type timeFlag struct{ t time.Time }

func (f *timeFlag) String() string {
	if f.t.IsZero() {
		return ""
	}
	return f.t.Format(time.RFC3339)
}

func (f *timeFlag) Set(v string) error {
	if d, err := time.ParseDuration(v); err == nil {
		f.t = time.Now().Add(-d)
		return nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return fmt.Errorf("want an RFC 3339 time (2026-01-02T15:04:05Z) or a duration ago (90m)")
	}
	f.t = t
	return nil
}

// listOf fetches one page, or every page with --all, and prints it as a
// table (rows gives each item's cells) or as JSON.
func listOf[T any](l *listFlags, e *env, fetch func(cursor string) (*client.Page[T], error), header string, row func(T) []string) error {
	var items []T
	next := ""
	cursor := l.cursor
	for {
		p, err := fetch(cursor)
		if err != nil {
			return err
		}
		items = append(items, p.Data...)
		next = p.NextCursor
		if !l.all || next == "" || len(p.Data) == 0 {
			break
		}
		cursor = next
	}
	if l.json {
		if items == nil {
			items = []T{}
		}
		return printJSON(e.stdout, items)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, it := range items {
		fmt.Fprintln(tw, strings.Join(row(it), "\t"))
	}
	tw.Flush()
	if next != "" && !l.all {
		fmt.Fprintf(e.stderr, "more: add --cursor %s (or --all)\n", next)
	}
	return nil
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// when formats a time for a table, local and to the second.
func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// mustJSON encodes v on one line; values from the API always encode.
func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
