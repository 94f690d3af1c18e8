package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// rawConn is one keep-alive HTTP/1.1 connection of the load generator: a
// request is built into a reused buffer, written in one call, and its answer
// read with a parser that handles what servers send to a POST (a status line,
// headers, a body of Content-Length bytes or chunked), nothing more.
type rawConn struct {
	addr     string
	build    func(dst []byte, now time.Time) []byte
	conn     net.Conn
	br       *bufio.Reader
	buf      []byte
	deadline time.Time
	stopCtx  func() bool // unregisters the close-on-cancel hook
}

// reqTimeout bounds one request, as the net/http client's Timeout did.
const reqTimeout = 30 * time.Second

func newRawConn(addr string, build func([]byte, time.Time) []byte) *rawConn {
	return &rawConn{addr: addr, build: build, buf: make([]byte, 0, 2048)}
}

// do sends one request stamped with now and reads its answer; a status of 0
// means no answer. A connection the server closed while it was idle is
// redialled and the request sent again, once, as net/http does.
func (c *rawConn) do(ctx context.Context, now time.Time) (int, error) {
	c.buf = c.build(c.buf[:0], now)
	for attempt := 0; ; attempt++ {
		reused := c.conn != nil
		if !reused {
			if err := c.dial(ctx); err != nil {
				return 0, err
			}
		}
		status, started, err := c.roundTrip()
		if err == nil {
			return status, nil
		}
		c.close()
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if reused && !started && attempt == 0 && isClosedIdle(err) {
			continue
		}
		return status, err
	}
}

func (c *rawConn) dial(ctx context.Context) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return err
	}
	c.conn, c.deadline = conn, time.Time{}
	if c.br == nil {
		c.br = bufio.NewReaderSize(conn, 4096)
	} else {
		c.br.Reset(conn)
	}
	c.stopCtx = context.AfterFunc(ctx, func() { conn.Close() })
	return nil
}

func (c *rawConn) close() {
	if c.conn == nil {
		return
	}
	c.stopCtx()
	c.conn.Close()
	c.conn = nil
}

// isClosedIdle reports a connection the server closed before answering.
func isClosedIdle(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return false
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		isConnReset(err)
}

func isConnReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && (op.Op == "read" || op.Op == "write")
}

// roundTrip writes the built request and reads the answer. started reports
// whether any byte of an answer arrived.
func (c *rawConn) roundTrip() (status int, started bool, err error) {
	// Refreshing the deadline on every request costs a timer update each;
	// moving it only when less than two thirds are left keeps every request
	// bounded by at least 20 s.
	if now := time.Now(); c.deadline.Sub(now) < reqTimeout*2/3 {
		c.deadline = now.Add(reqTimeout)
		if err := c.conn.SetDeadline(c.deadline); err != nil {
			return 0, false, err
		}
	}
	if _, err := c.conn.Write(c.buf); err != nil {
		return 0, false, err
	}
	status, keep, started, err := readResponse(c.br)
	if err != nil {
		return status, started, err
	}
	if !keep {
		c.close()
	}
	return status, true, nil
}

// readResponse reads one HTTP/1.1 answer to a request that is not HEAD and
// discards its body. keep is false when the server will close the
// connection.
func readResponse(br *bufio.Reader) (status int, keep, started bool, err error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return 0, false, len(line) > 0, err
	}
	started = true
	// "HTTP/1.1 202 Accepted\r\n"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return 0, false, true, fmt.Errorf("malformed status line %q", line)
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, false, true, fmt.Errorf("malformed status line %q", line)
	}
	keep = line[7] == '1'
	length, chunked := int64(-1), false
	for {
		line, err = br.ReadSlice('\n')
		if err != nil {
			return status, false, true, fmt.Errorf("read headers: %w", err)
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return status, false, true, fmt.Errorf("malformed header %q", line)
		}
		value = bytes.TrimSpace(value)
		switch {
		case asciiEqualFold(name, "content-length"):
			if length, err = strconv.ParseInt(string(value), 10, 64); err != nil || length < 0 {
				return status, false, true, fmt.Errorf("bad Content-Length %q", value)
			}
		case asciiEqualFold(name, "transfer-encoding"):
			chunked = asciiEqualFold(value, "chunked")
		case asciiEqualFold(name, "connection"):
			if asciiEqualFold(value, "close") {
				keep = false
			} else if asciiEqualFold(value, "keep-alive") {
				keep = true
			}
		}
	}
	switch {
	case status/100 == 1 || status == 204 || status == 304:
		return status, keep, true, nil
	case chunked:
		return status, keep, true, discardChunked(br)
	case length >= 0:
		_, err = br.Discard(int(length))
		return status, keep, true, err
	default: // the body runs to the end of the connection
		_, err = io.Copy(io.Discard, br)
		return status, false, true, err
	}
}

// discardChunked reads a chunked body and its trailers.
func discardChunked(br *bufio.Reader) error {
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return fmt.Errorf("read chunk size: %w", err)
		}
		line = bytes.TrimRight(line, "\r\n")
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("bad chunk size %q", line)
		}
		if n == 0 {
			for { // trailers up to the empty line
				line, err := br.ReadSlice('\n')
				if err != nil {
					return fmt.Errorf("read trailers: %w", err)
				}
				if len(bytes.TrimRight(line, "\r\n")) == 0 {
					return nil
				}
			}
		}
		if _, err := br.Discard(int(n) + 2); err != nil {
			return fmt.Errorf("read chunk: %w", err)
		}
	}
}

// asciiEqualFold compares a header token with a lower-case name.
func asciiEqualFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
