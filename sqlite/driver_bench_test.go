package sqlite

// These benchmarks chose the SQLite driver (see docs/sqlite-driver.md). Both
// candidates are pure Go; only the test binary imports the one not chosen.
//
//	go test ./sqlite -run '^$' -bench Driver -benchtime 3s

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	_ "github.com/ncruces/go-sqlite3/driver" // registers "sqlite3"
	_ "modernc.org/sqlite"                   // registers "sqlite"
)

// benchDrivers maps a label to the database/sql driver name each registers.
var benchDrivers = []struct{ label, name string }{
	{"modernc", "sqlite"},
	{"ncruces", "sqlite3"},
}

// benchDSN is the durable configuration the store uses: WAL, synchronous=FULL.
func benchDSN(path string) string {
	return "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
		"&_pragma=busy_timeout(5000)&_txlock=immediate"
}

func openBenchDB(b *testing.B, driver string) *sql.DB {
	b.Helper()
	db, err := sql.Open(driver, benchDSN(filepath.Join(b.TempDir(), "bench.db")))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL, body BLOB NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkDriverInsert measures durable inserts of ~1 KB rows, committed in
// batches of 1 and of 64 rows per transaction; ns/op is per transaction.
func BenchmarkDriverInsert(b *testing.B) {
	body := make([]byte, 1024)
	rand.Read(body)
	for _, d := range benchDrivers {
		for _, batch := range []int{1, 64} {
			b.Run(fmt.Sprintf("%s/batch=%d", d.label, batch), func(b *testing.B) {
				db := openBenchDB(b, d.name)
				b.SetBytes(int64(batch * len(body)))
				b.ResetTimer()
				for i := 0; b.Loop(); i++ {
					if err := insertBatch(db, i, batch, body); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

func insertBatch(db *sql.DB, i, n int, body []byte) error {
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO t (k, body) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for j := range n {
		if _, err := stmt.ExecContext(ctx, fmt.Sprintf("k-%d-%d", i, j), body); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// BenchmarkDriverPointRead measures reading one ~1 KB row by primary key, the
// shape of most console and API reads.
func BenchmarkDriverPointRead(b *testing.B) {
	body := make([]byte, 1024)
	rand.Read(body)
	const rows = 10000
	for _, d := range benchDrivers {
		b.Run(d.label, func(b *testing.B) {
			db := openBenchDB(b, d.name)
			for i := range rows / 100 {
				if err := insertBatch(db, i, 100, body); err != nil {
					b.Fatal(err)
				}
			}
			var got []byte
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if err := db.QueryRow(`SELECT body FROM t WHERE id = ?`, i%rows+1).Scan(&got); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
