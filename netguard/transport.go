package netguard

import (
	"net"
	"net/http"
	"time"
)

// Transport tuning for many deliveries to a modest set of receivers.
const (
	dialTimeout         = 10 * time.Second
	keepAlive           = 30 * time.Second
	maxIdleConns        = 512
	maxIdleConnsPerHost = 64 // matches a high per-destination concurrency
	idleConnTimeout     = 90 * time.Second
	tlsHandshakeTimeout = 10 * time.Second
)

// Transport returns an HTTP transport whose every connection passes the
// guard. It ignores HTTP(S)_PROXY from the environment, because a proxy
// would make the dial go to the proxy's address and skip the check. It does
// not follow redirects (transports never do); the client should not either.
func (g *Guard) Transport() *http.Transport {
	d := &net.Dialer{Timeout: dialTimeout, KeepAlive: keepAlive, Control: g.Control}
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          maxIdleConns,
		MaxIdleConnsPerHost:   maxIdleConnsPerHost,
		IdleConnTimeout:       idleConnTimeout,
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		ExpectContinueTimeout: time.Second,
	}
}

// Dialer returns a dialer whose every connection passes the guard, for
// clients that are not HTTP (message brokers). Its timeout bounds the
// connect alone; callers bound the whole exchange with a context.
func (g *Guard) Dialer() *net.Dialer {
	return &net.Dialer{Timeout: dialTimeout, KeepAlive: keepAlive, Control: g.Control}
}
