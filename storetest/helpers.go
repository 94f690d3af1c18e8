package storetest

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// t0 is the suite's reference time: UTC, to the microsecond, which both
// databases keep exactly.
var t0 = time.Date(2025, 3, 14, 15, 9, 26, 535897000, time.UTC)

func ctx(t *testing.T) context.Context { return t.Context() }

// wantCode fails unless err carries the domain error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := hookhub.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (err %v), want %q", got, err, code)
	}
}

// must fails the test on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// equal fails unless got and want are deeply equal.
func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got  %s\n want %s", what, dump(got), dump(want))
	}
}

func dump(v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		return fmt.Sprintf("%+v", rv.Elem().Interface())
	}
	return fmt.Sprintf("%+v", v)
}

// allSet fails if any field of the struct v points to, however deep, holds
// its zero value. Fixtures pass through it, so that a field added to a domain
// type must be added to its fixture, and then round-trips through the store.
func allSet(t *testing.T, v any) {
	t.Helper()
	if path := zeroField(reflect.ValueOf(v), reflect.TypeOf(v).String()); path != "" {
		t.Fatalf("fixture field %s is zero: set it so that the round trip covers it", path)
	}
}

func zeroField(v reflect.Value, path string) string {
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.IsZero() {
		return path
	}
	if v.Kind() == reflect.Struct && v.Type() != reflect.TypeOf(time.Time{}) {
		for i := range v.NumField() {
			if p := zeroField(v.Field(i), path+"."+v.Type().Field(i).Name); p != "" {
				return p
			}
		}
	}
	return ""
}

// newest sorts IDs newest first, the order of every list.
func newest(ids []string) []string {
	out := append([]string(nil), ids...)
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out
}

// pageAll follows cursors through a list with the given page size and
// returns the IDs in order, checking every page but the last is full.
func pageAll(t *testing.T, limit int, list func(hookhub.Page) ([]string, string, error)) []string {
	t.Helper()
	var all []string
	p := hookhub.Page{Limit: limit}
	for range 1000 {
		ids, next, err := list(p)
		must(t, err)
		all = append(all, ids...)
		if next == "" {
			return all
		}
		if len(ids) != limit {
			t.Fatalf("a page with a next cursor has %d items, want %d", len(ids), limit)
		}
		p.Cursor = next
	}
	t.Fatal("pagination does not end")
	return nil
}
