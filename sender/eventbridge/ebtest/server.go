// Package ebtest is a stand-in for Amazon EventBridge in tests: an HTTP server
// that takes only AWSEvents.PutEvents calls whose SigV4 signature verifies
// (checked with the AWS SDK's own signer), keeps the entries, and can be
// told to fail.
package ebtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Credentials the server accepts.
const (
	AccessKeyID     = "AKIAHOOKHUBTEST"
	SecretAccessKey = "hookhub-test-secret-access-key"
	Region          = "us-east-1"
)

// Entry is one PutEvents entry as received.
type Entry struct {
	Source       string
	DetailType   string
	Detail       string
	EventBusName string
}

// Failure is how the server answers instead of accepting.
type Failure int

// Failures the server can be told to give.
const (
	None          Failure = iota
	EntryError            // a per-entry error: FailedEntryCount 1, ErrorCode InvalidArgument
	EntryThrottle         // a per-entry ThrottlingException
	CallThrottle          // the whole call refused with ThrottlingException (HTTP 400)
	ServerError           // HTTP 500
)

// Server is the stand-in.
type Server struct {
	URL string

	mu       sync.Mutex
	entries  []Entry
	fail     Failure
	rejected int // calls refused for their signature
}

// New starts a server, closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Fail sets how the next calls are answered (None to accept again).
func (s *Server) Fail(f Failure) {
	s.mu.Lock()
	s.fail = f
	s.mu.Unlock()
}

// Entries returns the entries accepted so far.
func (s *Server) Entries() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Entry(nil), s.entries...)
}

// Rejected returns how many calls were refused for their signature.
func (s *Server) Rejected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejected
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if r.Header.Get("X-Amz-Target") != "AWSEvents.PutEvents" || r.Method != http.MethodPost {
		awsError(w, 400, "UnknownOperationException", "only AWSEvents.PutEvents is served")
		return
	}
	if err := verify(r, body); err != nil {
		s.mu.Lock()
		s.rejected++
		s.mu.Unlock()
		awsError(w, 403, "InvalidSignatureException", err.Error())
		return
	}
	var in struct{ Entries []Entry }
	if err := json.Unmarshal(body, &in); err != nil || len(in.Entries) != 1 {
		awsError(w, 400, "ValidationException", "want one entry")
		return
	}
	s.mu.Lock()
	fail := s.fail
	if fail == None {
		s.entries = append(s.entries, in.Entries[0])
	}
	n := len(s.entries)
	s.mu.Unlock()
	switch fail {
	case CallThrottle:
		awsError(w, 400, "ThrottlingException", "Rate exceeded")
	case ServerError:
		awsError(w, 500, "InternalException", "something broke")
	case EntryError:
		writeJSON(w, 200, map[string]any{"FailedEntryCount": 1, "Entries": []any{map[string]string{
			"ErrorCode": "InvalidArgument", "ErrorMessage": "Parameter Detail is not valid."}}})
	case EntryThrottle:
		writeJSON(w, 200, map[string]any{"FailedEntryCount": 1, "Entries": []any{map[string]string{
			"ErrorCode": "ThrottlingException", "ErrorMessage": "Rate exceeded"}}})
	default:
		writeJSON(w, 200, map[string]any{"FailedEntryCount": 0, "Entries": []any{map[string]string{"EventId": fmt.Sprintf("ev-%d", n)}}})
	}
}

// verify signs a copy of the request with the SDK's signer, over the headers
// the request says it signed, and compares the signatures.
func verify(r *http.Request, body []byte) error {
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential="+AccessKeyID+"/") || !strings.Contains(auth, "/"+Region+"/events/aws4_request") {
		return fmt.Errorf("not signed for %s in %s for events", AccessKeyID, Region)
	}
	at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return fmt.Errorf("no X-Amz-Date")
	}
	signed := ""
	for _, part := range strings.Split(auth, ", ") {
		if v, ok := strings.CutPrefix(part, "SignedHeaders="); ok {
			signed = v
		}
	}
	cp, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), nil)
	cp.ContentLength = r.ContentLength
	for _, h := range strings.Split(signed, ";") {
		if h != "host" && h != "content-length" {
			cp.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	cp.Header.Del("X-Amz-Date")
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: AccessKeyID, SecretAccessKey: SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, cp, hex.EncodeToString(sum[:]), "events", Region, at); err != nil {
		return err
	}
	if cp.Header.Get("Authorization") != auth {
		return fmt.Errorf("the signature does not match (signed headers %s)", signed)
	}
	return nil
}

func awsError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]string{"__type": code, "message": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
