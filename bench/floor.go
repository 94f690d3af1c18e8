// The floor server: the least a server must do to keep Hookhub's ingest
// guarantees, and nothing more. The floor scenario measures it with the same
// load as ingest and e2e, so a ratio to the baseline that the floor itself
// does not reach is one no server keeping these guarantees on this store can
// reach on this machine.
//
// What it does, per request (any path, POST only):
//   - reads the body, at most floorMaxBody bytes (413 beyond);
//   - verifies X-Hub-Signature-256 (GitHub's HMAC-SHA256 of the body) with
//     Hookhub's own GitHub verifier, 401 when it is missing or wrong;
//   - encodes the request headers as JSON, once;
//   - queues the event to one writer, which takes every event queued (up to
//     floorBatch) into one transaction: per event, one prepared INSERT into
//     events (id, source_id, type, received_at, headers, body, dedup_key)
//     ON CONFLICT DO NOTHING, where a UNIQUE index on (source_id, dedup_key),
//     the key being X-GitHub-Delivery, makes a duplicate insert nothing;
//     prepared single-row statements measured as fast as one multi-row
//     statement per batch (SQLite: the same CPU per event; PostgreSQL, where
//     the rows go in one pipelined batch: the same wall time, less client CPU);
//   - answers only after that commit returned: 202 for a new event, 200 for a
//     duplicate (no second row), 503 when the store failed.
//
// The stores are Hookhub's, set as Hookhub sets them: SQLite through
// modernc.org/sqlite with the writer's settings of sqlite/sqlite.go (WAL,
// synchronous=FULL, temp_store=MEMORY, wal_autocheckpoint=16000, BEGIN
// IMMEDIATE, one connection), or PostgreSQL through pgx with
// synchronous_commit on, so a 2xx means the event is on disk.
//
// With a destination (e2e), the same transaction also inserts one pending
// delivery row per new event; after the commit the writer hands the event,
// in memory, to floorSenders goroutines that POST its body to the
// destination (net/http client, keep-alive, timeout). Each outcome is then
// recorded, group-committed by a second writer that does not wait for the
// disk (SQLite: synchronous=NORMAL around the transaction, as Hookhub's
// relaxed transactions do; PostgreSQL: SET LOCAL synchronous_commit=off):
// the delivery is UPDATEd to delivered and an attempt row (status code,
// duration) INSERTed. On SQLite both writers share the one connection, so
// the store still has exactly one writer at a time.
//
// What it does not do, which is why it is a floor: no routing (the one
// destination is fixed), no sources, users or API keys, no middleware (no
// rate limits, no in-flight caps, no request IDs, no logging per request),
// no console, no metrics or tracing, no claims or leases (deliveries are
// handed over in memory: one that was stored but not sent when the process
// stops stays pending, and nothing here would pick it up), no retries or
// backoff (a failed send is recorded and left pending), no dedup window (a
// key is held for ever), no pruning, and no checkpointer beside the writer
// (Hookhub's passive one every 100 ms made the floor slower in 5 s runs: it
// costs CPU and fsyncs that the writer's own checkpoint at 64 MB pays rarely).
package main

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/verify"
	"github.com/jackc/pgx/v5"

	_ "modernc.org/sqlite" // registers the "sqlite" driver, as Hookhub's sqlite package does
)

// floorServerArg makes the bench binary serve the floor server (flags
// follow; the PostgreSQL URL comes in floorDatabaseEnv, off the command line).
const floorServerArg = "serve-floor"

const floorDatabaseEnv = "BENCH_FLOOR_DATABASE_URL"

const (
	floorBatch    = 256     // most events (or outcomes) per transaction
	floorSenders  = 64      // sender goroutines of e2e
	floorMaxBody  = 1 << 20 // Hookhub's default --max-body-bytes
	floorSource   = "src_floor"
	floorDest     = "dst_floor"
	floorSQLiteQS = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
		"&_pragma=temp_store(MEMORY)&_pragma=wal_autocheckpoint(16000)&_txlock=immediate"
)

// floorOptions configures a floor server: one of SQLitePath and DatabaseURL.
type floorOptions struct {
	SQLitePath  string
	DatabaseURL string
	Secret      string
	DeliverTo   string // e2e when set: every new event is POSTed here
}

type floorEvent struct {
	id, deliveryID, typ, key string
	received                 time.Time
	headers, body            []byte
	contentType              string
	dup                      bool
	err                      error
	done                     chan struct{}
}

type floorOutcome struct {
	deliveryID string
	status     int // 0: no answer
	took       time.Duration
	errText    string
	at         time.Time
}

// floorStore is one of the two stores; each method is one transaction.
type floorStore interface {
	saveEvents(ctx context.Context, batch []*floorEvent, withDeliveries bool) error
	saveOutcomes(ctx context.Context, batch []*floorOutcome) error
	count(ctx context.Context) (floorCounts, error)
	close()
}

// floorCounts are the rows a run left.
type floorCounts struct{ Events, Deliveries, Delivered, Attempts int64 }

type floorServer struct {
	opt      floorOptions
	verifier verify.Verifier // Hookhub's GitHub verifier
	st       floorStore
	events   chan *floorEvent
	sends    chan *floorEvent
	outcomes chan *floorOutcome
	client   *http.Client
	// writers and senders that close waits for, in this order.
	eventWriter, senders, outcomeWriter sync.WaitGroup
}

// startFloor creates the tables in an empty store and starts the writers
// (and the senders with a destination).
func startFloor(ctx context.Context, opt floorOptions) (*floorServer, error) {
	var st floorStore
	var err error
	if opt.DatabaseURL != "" {
		st, err = openFloorPG(ctx, opt.DatabaseURL)
	} else {
		st, err = openFloorSQLite(ctx, opt.SQLitePath)
	}
	if err != nil {
		return nil, err
	}
	v, err := verify.New(hookhub.Verification{Scheme: hookhub.SourceGitHub, Secret: opt.Secret}, time.Now)
	if err != nil {
		st.close()
		return nil, err
	}
	s := &floorServer{opt: opt, verifier: v, st: st, events: make(chan *floorEvent, 1024),
		// Deliveries wait here when sending lags ingest: deep enough never
		// to hold ingest back within a bench run.
		sends: make(chan *floorEvent, 1<<20), outcomes: make(chan *floorOutcome, 1024),
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
			MaxIdleConnsPerHost: floorSenders, IdleConnTimeout: time.Minute}}}
	s.eventWriter.Add(1)
	go s.writeEvents()
	s.outcomeWriter.Add(1)
	go s.writeOutcomes()
	if opt.DeliverTo != "" {
		for range floorSenders {
			s.senders.Add(1)
			go s.send()
		}
	}
	return s, nil
}

// close stops the floor once no request is in flight (after the HTTP
// server's Shutdown): the events queued are committed, the deliveries handed
// over sent and their outcomes recorded. It returns the rows left.
func (s *floorServer) close() (floorCounts, error) {
	close(s.events)
	s.eventWriter.Wait()
	close(s.sends)
	s.senders.Wait()
	close(s.outcomes)
	s.outcomeWriter.Wait()
	s.client.CloseIdleConnections()
	c, err := s.st.count(context.Background())
	s.st.close()
	return c, err
}

func (s *floorServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if r.ContentLength > floorMaxBody {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, floorMaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "could not read body", http.StatusBadRequest)
		}
		return
	}
	if s.verifier.Verify(r, body) != nil {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	headers, err := json.Marshal(r.Header)
	if err != nil {
		http.Error(w, "bad headers", http.StatusBadRequest)
		return
	}
	e := &floorEvent{id: hookhub.NewID(hookhub.PrefixEvent), typ: r.Header.Get("X-GitHub-Event"),
		key: r.Header.Get("X-GitHub-Delivery"), received: time.Now(), headers: headers, body: body,
		contentType: r.Header.Get("Content-Type"), done: make(chan struct{})}
	if s.opt.DeliverTo != "" {
		e.deliveryID = hookhub.NewID(hookhub.PrefixDelivery)
	}
	s.events <- e
	<-e.done
	switch {
	case e.err != nil:
		http.Error(w, "store unavailable", http.StatusServiceUnavailable)
	case e.dup:
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"duplicate":true}`)
	default:
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, `{"id":"`+e.id+`"}`)
	}
}

// gather returns first and whatever else is queued, up to floorBatch.
func gather[T any](ch <-chan T, first T) []T {
	batch := []T{first}
	for len(batch) < floorBatch {
		select {
		case v, ok := <-ch:
			if !ok {
				return batch
			}
			batch = append(batch, v)
		default:
			return batch
		}
	}
	return batch
}

// writeEvents is the group commit of ingest: a batch is answered once its
// transaction committed, and its new events are then handed to the senders.
func (s *floorServer) writeEvents() {
	defer s.eventWriter.Done()
	deliver := s.opt.DeliverTo != ""
	for e := range s.events {
		batch := gather(s.events, e)
		err := s.st.saveEvents(context.Background(), batch, deliver)
		if err != nil {
			fmt.Fprintln(os.Stderr, "floor: store events:", err)
		}
		for _, e := range batch {
			e.err = err
			close(e.done)
		}
		if err == nil && deliver {
			for _, e := range batch {
				if !e.dup {
					s.sends <- e
				}
			}
		}
	}
}

// writeOutcomes records send outcomes in transactions that do not wait for
// the disk: a lost outcome means the delivery is sent again, which
// at-least-once allows.
func (s *floorServer) writeOutcomes() {
	defer s.outcomeWriter.Done()
	for o := range s.outcomes {
		batch := gather(s.outcomes, o)
		if err := s.st.saveOutcomes(context.Background(), batch); err != nil {
			fmt.Fprintf(os.Stderr, "floor: record %d outcomes: %v\n", len(batch), err)
		}
	}
}

func (s *floorServer) send() {
	defer s.senders.Done()
	for e := range s.sends {
		o := &floorOutcome{deliveryID: e.deliveryID, at: time.Now()}
		req, err := http.NewRequest(http.MethodPost, s.opt.DeliverTo, bytes.NewReader(e.body))
		if err == nil {
			req.Header.Set("Content-Type", e.contentType)
			var resp *http.Response
			if resp, err = s.client.Do(req); err == nil {
				io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
				resp.Body.Close()
				o.status = resp.StatusCode
			}
		}
		if err != nil {
			o.errText = err.Error()
		}
		o.took = time.Since(o.at)
		s.outcomes <- o
	}
}

func (o *floorOutcome) state() string {
	if o.status/100 == 2 {
		return "delivered"
	}
	return "pending" // a real server would retry it; the floor does not
}

// nullKey stores a missing delivery id as NULL, which never conflicts.
func nullKey(k string) any {
	if k == "" {
		return nil
	}
	return k
}

// The statements, one row each: prepared once and reused, which measured as
// fast as multi-row statements (one per batch size) on both stores.
const (
	floorInsertEvent = `INSERT INTO events (id, source_id, type, received_at, headers, body, dedup_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`
	floorInsertDelivery = `INSERT INTO deliveries (id, event_id, destination_id, status, attempts, updated_at)
		VALUES ($1, $2, $3, 'pending', 0, $4)`
	floorUpdateDelivery = `UPDATE deliveries SET status = $1, attempts = attempts + 1, updated_at = $2 WHERE id = $3`
	floorInsertAttempt  = `INSERT INTO attempts (id, delivery_id, status_code, duration_us, error, started_at)
		VALUES ($1, $2, $3, $4, $5, $6)`
	floorCountRows = `SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM deliveries),
		(SELECT count(*) FROM deliveries WHERE status = 'delivered'), (SELECT count(*) FROM attempts)`
)

// The tables, Hookhub's columns that ingest and delivery cannot do without.
// Ids sort bytewise (Hookhub's COLLATE "C" on PostgreSQL).
var floorSQLiteSchema = []string{
	`CREATE TABLE events (id TEXT PRIMARY KEY, source_id TEXT NOT NULL, type TEXT NOT NULL,
		received_at INTEGER NOT NULL, headers TEXT NOT NULL, body BLOB NOT NULL, dedup_key TEXT) STRICT`,
	`CREATE UNIQUE INDEX events_dedup ON events (source_id, dedup_key)`,
	`CREATE TABLE deliveries (id TEXT PRIMARY KEY, event_id TEXT NOT NULL, destination_id TEXT NOT NULL,
		status TEXT NOT NULL, attempts INTEGER NOT NULL, updated_at INTEGER NOT NULL) STRICT`,
	`CREATE TABLE attempts (id TEXT PRIMARY KEY, delivery_id TEXT NOT NULL, status_code INTEGER NOT NULL,
		duration_us INTEGER NOT NULL, error TEXT NOT NULL, started_at INTEGER NOT NULL) STRICT`,
}

var floorPGSchema = []string{
	`CREATE TABLE events (id TEXT COLLATE "C" PRIMARY KEY, source_id TEXT COLLATE "C" NOT NULL, type TEXT NOT NULL,
		received_at TIMESTAMPTZ NOT NULL, headers TEXT NOT NULL, body BYTEA NOT NULL, dedup_key TEXT)`,
	`CREATE UNIQUE INDEX events_dedup ON events (source_id, dedup_key)`,
	`CREATE TABLE deliveries (id TEXT COLLATE "C" PRIMARY KEY, event_id TEXT NOT NULL, destination_id TEXT NOT NULL,
		status TEXT NOT NULL, attempts INTEGER NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`,
	`CREATE TABLE attempts (id TEXT COLLATE "C" PRIMARY KEY, delivery_id TEXT NOT NULL, status_code INTEGER NOT NULL,
		duration_us BIGINT NOT NULL, error TEXT NOT NULL, started_at TIMESTAMPTZ NOT NULL)`,
}

// ---- SQLite ----

type floorSQLite struct {
	db                               *sql.DB
	insEvent, insDlv, updDlv, insAtt *sql.Stmt
}

func openFloorSQLite(ctx context.Context, path string) (*floorSQLite, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?"+floorSQLiteQS)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // one writer: the two writers wait in Go, never on SQLITE_BUSY
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	s := &floorSQLite{db: db}
	for _, q := range floorSQLiteSchema {
		if _, err := db.ExecContext(ctx, q); err != nil {
			db.Close()
			return nil, fmt.Errorf("floor schema: %w", err)
		}
	}
	// SQLite reads $1 as the first parameter as PostgreSQL does.
	for q, st := range map[string]**sql.Stmt{floorInsertEvent: &s.insEvent, floorInsertDelivery: &s.insDlv,
		floorUpdateDelivery: &s.updDlv, floorInsertAttempt: &s.insAtt} {
		if *st, err = db.PrepareContext(ctx, q); err != nil {
			db.Close()
			return nil, fmt.Errorf("floor: prepare: %w", err)
		}
	}
	return s, nil
}

func (s *floorSQLite) saveEvents(ctx context.Context, batch []*floorEvent, withDeliveries bool) error {
	tx, err := s.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE (_txlock)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, dlv := tx.StmtContext(ctx, s.insEvent), tx.StmtContext(ctx, s.insDlv)
	for _, e := range batch {
		at := e.received.UnixMicro()
		res, err := ins.ExecContext(ctx, e.id, floorSource, e.typ, at, string(e.headers), e.body, nullKey(e.key))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if e.dup = n == 0; withDeliveries && !e.dup {
			if _, err := dlv.ExecContext(ctx, e.deliveryID, e.id, floorDest, at); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// saveOutcomes runs with synchronous=NORMAL on the connection, as Hookhub's
// inRelaxedTx does, and puts FULL back (or drops the connection) after.
func (s *floorSQLite) saveOutcomes(ctx context.Context, batch []*floorOutcome) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = NORMAL"); err != nil {
		return err
	}
	defer func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA synchronous = FULL"); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	upd, ins := tx.StmtContext(ctx, s.updDlv), tx.StmtContext(ctx, s.insAtt)
	now := time.Now().UnixMicro()
	for _, o := range batch {
		if _, err := upd.ExecContext(ctx, o.state(), now, o.deliveryID); err != nil {
			return err
		}
		if _, err := ins.ExecContext(ctx, hookhub.NewID(hookhub.PrefixAttempt), o.deliveryID, o.status,
			o.took.Microseconds(), o.errText, o.at.UnixMicro()); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (s *floorSQLite) count(ctx context.Context) (c floorCounts, err error) {
	err = s.db.QueryRowContext(ctx, floorCountRows).Scan(&c.Events, &c.Deliveries, &c.Delivered, &c.Attempts)
	return c, err
}

func (s *floorSQLite) close() { s.db.Close() }

// ---- PostgreSQL ----

// floorPG gives each writer its own connection: PostgreSQL takes concurrent
// writers, and the outcome writer's commits need not queue behind fsyncs.
// A transaction's statements go in one pipelined pgx batch (pgx prepares
// and caches them).
type floorPG struct{ events, outcomes *pgx.Conn }

// floorInsertBoth stores an event and, when it is new, its delivery: one
// statement, whose count says whether the event was new.
const floorInsertBoth = `WITH e AS (` + floorInsertEvent + ` RETURNING id)
	INSERT INTO deliveries (id, event_id, destination_id, status, attempts, updated_at)
	SELECT $8, id, $9, 'pending', 0, $4 FROM e`

func openFloorPG(ctx context.Context, url string) (*floorPG, error) {
	var conns [2]*pgx.Conn
	for i := range conns {
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			for _, c := range conns[:i] {
				c.Close(ctx)
			}
			return nil, fmt.Errorf("floor: connect: %w", err)
		}
		conns[i] = c
	}
	s := &floorPG{events: conns[0], outcomes: conns[1]}
	for _, q := range floorPGSchema {
		if _, err := s.events.Exec(ctx, q); err != nil {
			s.close()
			return nil, fmt.Errorf("floor schema: %w", err)
		}
	}
	return s, nil
}

func (s *floorPG) saveEvents(ctx context.Context, batch []*floorEvent, withDeliveries bool) error {
	tx, err := s.events.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	b := &pgx.Batch{}
	for _, e := range batch {
		args := []any{e.id, floorSource, e.typ, e.received, string(e.headers), e.body, nullKey(e.key)}
		if withDeliveries {
			b.Queue(floorInsertBoth, append(args, e.deliveryID, floorDest)...)
		} else {
			b.Queue(floorInsertEvent, args...)
		}
	}
	br := tx.SendBatch(ctx, b)
	for _, e := range batch {
		tag, err := br.Exec()
		if err != nil {
			br.Close()
			return err
		}
		e.dup = tag.RowsAffected() == 0
	}
	if err := br.Close(); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func (s *floorPG) saveOutcomes(ctx context.Context, batch []*floorOutcome) error {
	tx, err := s.outcomes.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	b := &pgx.Batch{}
	b.Queue("SET LOCAL synchronous_commit = off")
	now := time.Now()
	for _, o := range batch {
		b.Queue(floorUpdateDelivery, o.state(), now, o.deliveryID)
		b.Queue(floorInsertAttempt, hookhub.NewID(hookhub.PrefixAttempt), o.deliveryID, o.status, o.took.Microseconds(), o.errText, o.at)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func (s *floorPG) count(ctx context.Context) (c floorCounts, err error) {
	err = s.events.QueryRow(ctx, floorCountRows).Scan(&c.Events, &c.Deliveries, &c.Delivered, &c.Attempts)
	return c, err
}

func (s *floorPG) close() {
	s.events.Close(context.Background())
	s.outcomes.Close(context.Background())
}

// serveFloor is the serve-floor mode: it serves the floor on a loopback port,
// prints the address on stdout, and stops when stdin is closed, printing the
// rows it left as JSON on stdout.
func serveFloor(args []string) int {
	fs := flag.NewFlagSet(floorServerArg, flag.ContinueOnError)
	opt := floorOptions{DatabaseURL: os.Getenv(floorDatabaseEnv)}
	fs.StringVar(&opt.SQLitePath, "sqlite", "", "SQLite file to create (without a PostgreSQL URL in "+floorDatabaseEnv+")")
	fs.StringVar(&opt.Secret, "secret", "", "GitHub webhook secret")
	fs.StringVar(&opt.DeliverTo, "deliver-to", "", "destination URL (e2e); none: store only")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if (opt.SQLitePath == "") == (opt.DatabaseURL == "") || opt.Secret == "" {
		fmt.Fprintln(os.Stderr, "floor: need -secret and one of -sqlite or "+floorDatabaseEnv)
		return 2
	}
	ctx := context.Background()
	s, err := startFloor(ctx, opt)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		return 1
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor: listen:", err)
		return 1
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	fmt.Println(ln.Addr().String())
	io.Copy(io.Discard, os.Stdin)
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	c, err := s.close()
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor: count rows:", err)
		return 1
	}
	json.NewEncoder(os.Stdout).Encode(c)
	return 0
}
