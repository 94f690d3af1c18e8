package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/sqlstore"
	"github.com/jackc/pgx/v5"
)

// Reconnection delays of the change feed: doubled after each failure up to
// the maximum.
const (
	listenRetryMin = 200 * time.Millisecond
	listenRetryMax = 10 * time.Second
)

// feed relays the changes other Hookhub processes announce on the database
// (sqlstore.ChangeChannel) to the store's watchers, on a connection of its
// own, so that their caches forget an edit as soon as it commits. While the
// connection is down, caches fall back to their time limits; once it is back,
// ChangeAll makes them forget everything, since notices may have been missed.
type feed struct {
	url   string
	store *sqlstore.Store
	stop  context.CancelFunc
	done  chan struct{}
}

// startFeed connects and listens before it returns, so that no change
// committed after Open goes unheard, then relays in the background.
func startFeed(ctx context.Context, url string, store *sqlstore.Store) (*feed, error) {
	conn, err := listenConn(ctx, url)
	if err != nil {
		return nil, err
	}
	bg, stop := context.WithCancel(context.Background())
	f := &feed{url: url, store: store, stop: stop, done: make(chan struct{})}
	go f.run(bg, conn)
	return f, nil
}

func listenConn(ctx context.Context, url string) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("change feed: connect: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+sqlstore.ChangeChannel); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("change feed: listen: %w", err)
	}
	return conn, nil
}

// run relays notices until ctx ends, reconnecting when the connection fails.
func (f *feed) run(ctx context.Context, conn *pgx.Conn) {
	defer close(f.done)
	delay := listenRetryMin
	for {
		f.relay(ctx, conn)
		conn.Close(context.Background())
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(delay):
			}
			var err error
			if conn, err = listenConn(ctx, f.url); err == nil {
				break
			}
			delay = min(2*delay, listenRetryMax)
		}
		delay = listenRetryMin
		f.store.Publish(hookhub.Change{Kind: hookhub.ChangeAll})
	}
}

// relay hands each notice to the store until the connection fails or ctx ends.
func (f *feed) relay(ctx context.Context, conn *pgx.Conn) {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return
		}
		f.store.Notice(n.Payload)
	}
}

// close stops relaying and closes the connection.
func (f *feed) close() {
	f.stop()
	<-f.done
}
