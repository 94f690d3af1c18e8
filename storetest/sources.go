package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var sourceTests = []test{
	{"SourceRoundTrip", testSourceRoundTrip},
	{"SourceUpdate", testSourceUpdate},
	{"SourceNotFound", testSourceNotFound},
	{"SourceKeyConflict", testSourceKeyConflict},
	{"SourceDeleteCascades", testSourceDeleteCascades},
	{"SourceList", testSourceList},
}

func testSourceRoundTrip(t *testing.T, s hookhub.Store) {
	want := fullSource()
	allSet(t, want)
	must(t, s.CreateSource(ctx(t), want))
	got, err := s.GetSource(ctx(t), want.ID)
	must(t, err)
	equal(t, "GetSource", got, want)
	got, err = s.GetSourceByKey(ctx(t), want.Key)
	must(t, err)
	equal(t, "GetSourceByKey", got, want)
}

func testSourceUpdate(t *testing.T, s hookhub.Store) {
	src := fullSource()
	must(t, s.CreateSource(ctx(t), src))
	upd := &hookhub.Source{ID: src.ID, Name: "renamed", Type: hookhub.SourceStripe, Key: "new-key-" + src.Key,
		Verification:   hookhub.Verification{Scheme: "stripe", Secret: "rotated"},
		AllowedMethods: []string{"POST"}, MaxBodyBytes: 1, ContentTypes: []string{"application/json"},
		Response: hookhub.Response{Status: 200, Body: "ok"}, InactiveStatus: 403,
		CreatedAt: t0.Add(time.Hour), UpdatedAt: t0.Add(2 * time.Hour)}
	must(t, replaceSource(s, upd))
	got, err := s.GetSource(ctx(t), src.ID)
	must(t, err)
	upd.CreatedAt = src.CreatedAt // the creation time is not changed by updates
	equal(t, "after update", got, upd)
	if _, err := s.GetSourceByKey(ctx(t), src.Key); hookhub.ErrorCode(err) != hookhub.ENOTFOUND {
		t.Fatalf("old key still finds the source: %v", err)
	}
}

// replaceSource updates upd.ID to hold everything upd holds.
func replaceSource(s hookhub.Store, upd *hookhub.Source) error {
	_, err := s.UpdateSource(context.Background(), upd.ID, func(src *hookhub.Source) error {
		*src = *upd
		return nil
	})
	return err
}

func testSourceNotFound(t *testing.T, s hookhub.Store) {
	_, err := s.GetSource(ctx(t), "src_missing")
	wantCode(t, err, hookhub.ENOTFOUND)
	_, err = s.GetSourceByKey(ctx(t), "missing")
	wantCode(t, err, hookhub.ENOTFOUND)
	_, err = s.UpdateSource(ctx(t), "src_missing", func(*hookhub.Source) error {
		t.Error("change called for a missing source")
		return nil
	})
	wantCode(t, err, hookhub.ENOTFOUND)
	wantCode(t, s.DeleteSource(ctx(t), "src_missing"), hookhub.ENOTFOUND)
}

func testSourceKeyConflict(t *testing.T, s hookhub.Store) {
	a := newSource(t, s)
	b := fullSource()
	b.Key = a.Key
	wantCode(t, s.CreateSource(ctx(t), b), hookhub.ECONFLICT)
	b.Key = "other-" + a.Key
	must(t, s.CreateSource(ctx(t), b))
	b.Key = a.Key
	wantCode(t, replaceSource(s, b), hookhub.ECONFLICT)
	dup := fullSource()
	dup.ID = a.ID
	wantCode(t, s.CreateSource(ctx(t), dup), hookhub.ECONFLICT)
}

func testSourceDeleteCascades(t *testing.T, s hookhub.Store) {
	src, other, dst := newSource(t, s), newSource(t, s), newDestination(t, s)
	ev, ds := saveWithDeliveries(t, s, src.ID, t0, dst.ID)
	kept, _ := saveWithDeliveries(t, s, other.ID, t0, dst.ID)
	must(t, s.DeleteSource(ctx(t), src.ID))
	_, err := s.GetSource(ctx(t), src.ID)
	wantCode(t, err, hookhub.ENOTFOUND)
	_, err = s.GetEvent(ctx(t), ev.ID)
	wantCode(t, err, hookhub.ENOTFOUND)
	_, err = s.GetDelivery(ctx(t), ds[0].ID)
	wantCode(t, err, hookhub.ENOTFOUND)
	_, err = s.GetEvent(ctx(t), kept.ID)
	must(t, err)
}

func testSourceList(t *testing.T, s hookhub.Store) {
	var ids []string
	for range 7 {
		ids = append(ids, newSource(t, s).ID)
	}
	got := pageAll(t, 3, func(p hookhub.Page) ([]string, string, error) {
		list, next, err := s.ListSources(ctx(t), p)
		out := make([]string, len(list))
		for i, x := range list {
			out[i] = x.ID
		}
		return out, next, err
	})
	equal(t, "sources, newest first", got, newest(ids))
	list, next, err := s.ListSources(ctx(t), hookhub.Page{Limit: 7})
	must(t, err)
	if len(list) != 7 || next != "" {
		t.Fatalf("a page that holds everything: %d items, next %q; want 7 and no cursor", len(list), next)
	}
}
