package client

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestErrorsAreTyped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/sources/missing":
			w.WriteHeader(404)
			w.Write([]byte(`{"error":{"code":"not_found","message":"no source missing"}}`))
		default:
			w.WriteHeader(502)
			w.Write([]byte("<html>bad gateway</html>"))
		}
	}))
	defer srv.Close()
	c, _ := New(srv.URL, "k", nil)
	_, err := c.GetSource(context.Background(), "missing")
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Status != 404 || apiErr.Code != "not_found" || apiErr.Message != "no source missing" {
		t.Fatalf("err = %#v", err)
	}
	if ErrorCode(err) != "not_found" {
		t.Fatalf("ErrorCode = %q", ErrorCode(err))
	}
	_, err = c.GetSource(context.Background(), "other")
	if !errors.As(err, &apiErr) || apiErr.Code != "http_502" || !strings.Contains(apiErr.Message, "bad gateway") {
		t.Fatalf("non-JSON error: %#v", err)
	}
}

func TestUnreachableServerIsAConnError(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	c, _ := New("http://"+addr, "k", nil)
	_, err := c.ListSources(context.Background(), ListOptions{})
	var ce *ConnError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "cannot reach Hookhub at http://"+addr) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v", err)
	}
}

func TestBadServerAddress(t *testing.T) {
	for _, s := range []string{"", "127.0.0.1:8080", "ftp://x", "http://"} {
		if _, err := New(s, "k", nil); err == nil {
			t.Errorf("New(%q) accepted", s)
		}
	}
}

func TestEachWalksEveryPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer k" {
			w.WriteHeader(401)
			return
		}
		switch r.URL.Query().Get("cursor") {
		case "":
			fmt.Fprint(w, `{"data":[{"id":"a"},{"id":"b"}],"next_cursor":"b"}`)
		case "b":
			fmt.Fprint(w, `{"data":[{"id":"c"}],"next_cursor":""}`)
		}
	}))
	defer srv.Close()
	c, _ := New(srv.URL, "k", nil)
	all, err := All(context.Background(), func(ctx context.Context, cursor string) (*Page[Source], error) {
		return c.ListSources(ctx, ListOptions{Cursor: cursor})
	})
	if err != nil || len(all) != 3 || all[2].ID != "c" {
		t.Fatalf("All = %v, %v", all, err)
	}
	objs, err := c.Collection("sources").List(context.Background())
	if err != nil || len(objs) != 3 || objs[0]["id"] != "a" {
		t.Fatalf("Collection.List = %v, %v", objs, err)
	}
}

func TestStreamReadsEvents(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Last-Event-ID") != "evt_0" || r.URL.Query().Get("source_id") != "src_1" {
			w.WriteHeader(400)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, ": connected\n\nid: evt_0a\n\nid: evt_1\nevent: event\ndata: {\"id\":\"evt_1\",\"type\":\"push\"}\n\n: keep-alive\n\nid: evt_2\ndata: {\"id\":\"evt_2\"}\n\n")
	}))
	defer srv.Close()
	c, _ := New(srv.URL, "k", nil)
	s, err := c.StreamEvents(context.Background(), StreamOptions{SourceID: "src_1", LastEventID: "evt_0"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ids []string
	for {
		ev, err := s.Next()
		if err != nil {
			break
		}
		ids = append(ids, ev.ID)
	}
	if strings.Join(ids, ",") != "evt_1,evt_2" || s.LastEventID != "evt_2" {
		t.Fatalf("ids = %v, last %s", ids, s.LastEventID)
	}
}

// FuzzEventStream feeds arbitrary bytes to the stream reader: it must end
// with an error or io.EOF, never hang or panic.
func FuzzEventStream(f *testing.F) {
	f.Add([]byte(": connected\n\nid: evt_1\n\nid: evt_2\nevent: event\ndata: {\"id\":\"evt_2\"}\n\n"))
	f.Add([]byte("data: {\ndata: }\n\n"))
	f.Add([]byte("data:{\"id\":1}\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &EventStream{body: io.NopCloser(bytes.NewReader(data))}
		s.sc = bufio.NewScanner(s.body)
		for i := 0; i <= len(data); i++ {
			if _, err := s.Next(); err != nil {
				return
			}
		}
		t.Fatal("more events than bytes")
	})
}
