package reliability

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// load posts webhooks to ingest URLs from several workers until stopped, and
// keeps what each answer said. Every body carries a unique token, which the
// counting receiver reads back.
type load struct {
	urls     []string // worker w posts to urls[w % len(urls)]
	workers  int
	interval time.Duration                  // pause between one worker's requests
	timeout  time.Duration                  // a request unanswered this long counts as no answer
	header   func(token string) http.Header // extra headers, e.g. a provider delivery id
	sign     func(body []byte) http.Header  // signature headers

	stopc chan struct{}
	wg    sync.WaitGroup
	sent  atomic.Int64

	mu       sync.Mutex
	acked    map[string]string // token → event id, for 2xx answers
	statuses map[int]int       // answers by status; 0 is no answer
	slowest  time.Duration     // longest time to any answer
}

func newLoad(urls []string, workers int, interval time.Duration) *load {
	return &load{urls: urls, workers: workers, interval: interval, timeout: 20 * time.Second,
		stopc: make(chan struct{}), acked: map[string]string{}, statuses: map[int]int{}}
}

func (l *load) start() *load {
	for w := range l.workers {
		l.wg.Add(1)
		go l.run(w)
	}
	return l
}

func (l *load) run(w int) {
	defer l.wg.Done()
	client := &http.Client{Timeout: l.timeout}
	url := l.urls[w%len(l.urls)]
	for n := 0; ; n++ {
		select {
		case <-l.stopc:
			return
		case <-time.After(l.interval):
		}
		token := fmt.Sprintf("w%d-%d", w, n)
		l.post(client, url, token)
	}
}

// post sends one webhook and records its answer.
func (l *load) post(client *http.Client, url, token string) {
	body := `{"token":"` + token + `","filler":"` + strings.Repeat("x", 200) + `"}`
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for _, h := range []func() http.Header{
		func() http.Header { return call(l.header, token) },
		func() http.Header { return call(l.sign, []byte(body)) },
	} {
		for k, v := range h() {
			req.Header[http.CanonicalHeaderKey(k)] = v
		}
	}
	l.sent.Add(1)
	start := time.Now()
	resp, err := client.Do(req)
	took := time.Since(start)
	status := 0
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		status = resp.StatusCode
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.statuses[status]++
	if err == nil {
		l.slowest = max(l.slowest, took)
	}
	if status/100 == 2 {
		l.acked[token] = resp.Header.Get("X-Hookhub-Event-Id")
	}
}

func call[T any](f func(T) http.Header, v T) http.Header {
	if f == nil {
		return nil
	}
	return f(v)
}

func (l *load) stop() {
	close(l.stopc)
	l.wg.Wait()
}

// ackedEvents returns a copy of token → event id for every 2xx answer.
func (l *load) ackedEvents() map[string]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string]string, len(l.acked))
	for k, v := range l.acked {
		out[k] = v
	}
	return out
}

// statusCounts returns a copy of the answers by status.
func (l *load) statusCounts() map[int]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[int]int, len(l.statuses))
	for k, v := range l.statuses {
		out[k] = v
	}
	return out
}
