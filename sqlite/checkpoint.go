package sqlite

import (
	"database/sql"
	"sync"
	"time"
)

// checkpointEvery is how often the checkpointer copies the WAL back into the
// database file. At a few thousand commits per second the WAL then stays at
// a few megabytes.
const checkpointEvery = 100 * time.Millisecond

// checkpointer runs WAL checkpoints on its own connection. SQLite otherwise
// checkpoints inside the commit that crosses the WAL's size threshold, and
// that commit, with every ingest request waiting on it, pays for copying and
// syncing the whole WAL. A passive checkpoint never blocks the writer or
// readers; it copies what no reader still needs. Under steady writes it never
// quite catches up with the last frame, so the WAL is not started over by it:
// the writer's own, rarer checkpoint (wal_autocheckpoint) does that, and finds
// little left to copy. (A RESTART checkpoint from here would have to win the
// write lock from a busy writer, and starves.)
type checkpointer struct {
	db   *sql.DB
	quit chan struct{}
	done chan struct{}
	once sync.Once
}

func startCheckpointer(db *sql.DB, every time.Duration) *checkpointer {
	c := &checkpointer{db: db, quit: make(chan struct{}), done: make(chan struct{})}
	go c.run(every)
	return c
}

func (c *checkpointer) run(every time.Duration) {
	defer close(c.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.quit:
			return
		case <-t.C:
			// An error (the file is busy, or going away) is retried at
			// the next tick; the writer's own checkpoint is the backstop.
			c.db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		}
	}
}

// stop ends the checkpointer and closes its connection. It may be called
// more than once.
func (c *checkpointer) stop() {
	c.once.Do(func() {
		close(c.quit)
		<-c.done
		c.db.Close()
	})
}
