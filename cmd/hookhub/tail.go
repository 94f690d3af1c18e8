package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// eventsTail prints events as they arrive, one line each, by following the
// server's event stream.
func eventsTail(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("events tail", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("url", envOr(getenv, "HOOKHUB_URL", "http://127.0.0.1:8080"), "Hookhub base URL (env HOOKHUB_URL)")
	key := fs.String("api-key", getenv("HOOKHUB_API_KEY"), "API key (env HOOKHUB_API_KEY)")
	source := fs.String("source", "", "only events of this source ID")
	asJSON := fs.Bool("json", false, "print each event as a JSON line")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *key == "" {
		return fmt.Errorf("an API key is needed: --api-key or HOOKHUB_API_KEY")
	}
	u := strings.TrimRight(*server, "/") + "/api/v1/events/stream"
	if *source != "" {
		u += "?source_id=" + url.QueryEscape(*source)
	}
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return fmt.Errorf("--url: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+*key)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", *server, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("event stream: %s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	return printStream(resp.Body, stdout, *asJSON)
}

// tailEvent is the part of an event a tail line shows.
type tailEvent struct {
	ID           string    `json:"id"`
	SourceID     string    `json:"source_id"`
	Type         string    `json:"type"`
	Status       string    `json:"status"`
	ReceivedAt   time.Time `json:"received_at"`
	Method       string    `json:"method"`
	Verification struct {
		Result string `json:"result"`
		Reason string `json:"reason"`
	} `json:"verification"`
}

// printStream reads server-sent events and prints each data line.
func printStream(r io.Reader, w io.Writer, asJSON bool) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		if asJSON {
			fmt.Fprintln(w, data)
			continue
		}
		var ev tailEvent
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			continue
		}
		line := fmt.Sprintf("%s  %-9s %-24s %-8s %s %s", ev.ReceivedAt.Local().Format("15:04:05.000"), ev.Status, ev.ID, ev.Verification.Result, ev.SourceID, ev.Type)
		if ev.Verification.Reason != "" {
			line += "  (" + ev.Verification.Reason + ")"
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	return sc.Err()
}

func envOr(getenv func(string) string, k, def string) string {
	if v := getenv(k); v != "" {
		return v
	}
	return def
}
