package web

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// deadlineServer serves h behind BodyDeadline(timeout) on a real listener,
// since read deadlines need a real connection.
func deadlineServer(t *testing.T, timeout time.Duration, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(BodyDeadline(timeout)(h))
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String()
}

// readBodyHandler reads the body as the API does and answers 200 with its
// length, or the error.
func readBodyHandler(w http.ResponseWriter, r *http.Request) {
	body, err := ReadBody(w, r, 1<<20, "too large")
	if err != nil {
		Error(w, r, err)
		return
	}
	JSON(w, http.StatusOK, map[string]int{"len": len(body)})
}

// trickle opens a connection, sends head, then one byte of the body every
// 50 ms until the server answers, and returns the answer.
func trickle(t *testing.T, addr, head string) *http.Response {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := io.WriteString(c, head); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				if _, err := c.Write([]byte("a")); err != nil {
					return
				}
			}
		}
	}()
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer to a trickled body: %v", err)
	}
	return resp
}

func TestBodyDeadlineAnswers408ToATrickledBody(t *testing.T) {
	t.Parallel()
	addr := deadlineServer(t, 300*time.Millisecond, readBodyHandler)
	for name, head := range map[string]string{
		"content-length": "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n",
		"chunked":        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n100000\r\n",
	} {
		resp := trickle(t, addr, head)
		var eb ErrorBody
		json.NewDecoder(resp.Body).Decode(&eb)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestTimeout || eb.Error.Code != hookhub.ETIMEOUT || !resp.Close {
			t.Errorf("%s: %d %+v (close %v), want 408 timeout and the connection closed", name, resp.StatusCode, eb, resp.Close)
		}
	}
}

func TestBodyDeadlineLiftsOnceTheBodyIsRead(t *testing.T) {
	t.Parallel()
	timeout := 200 * time.Millisecond
	addr := deadlineServer(t, timeout, func(w http.ResponseWriter, r *http.Request) {
		body, err := ReadBody(w, r, 1<<20, "too large")
		if err != nil {
			Error(w, r, err)
			return
		}
		// Work after the body (a commit) outlasts the deadline.
		time.Sleep(3 * timeout)
		select {
		case <-r.Context().Done():
			Error(w, r, hookhub.Errorf(hookhub.EUNAVAILABLE, "the request was cancelled"))
		default:
			JSON(w, http.StatusOK, map[string]int{"len": len(body)})
		}
	})
	client := &http.Client{}
	for i := range 2 { // the second request reuses the connection
		resp, err := client.Post("http://"+addr+"/", "application/json", strings.NewReader(`{"a":1}`))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), `"len":7`) {
			t.Fatalf("request %d: %d %s", i, resp.StatusCode, b)
		}
	}
	// A request without a body is never bounded.
	resp, err := client.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET: %d", resp.StatusCode)
	}
}
