// Package reliability holds Hookhub's whole-system suites: they build the real
// hookhub binary once, run it as separate processes against SQLite and
// PostgreSQL, and attack it from outside — kill -9 under load, failing
// receivers, a database cut off or stalled behind a TCP proxy, several
// processes on one database. Everything is in its tests; docs/reliability.md
// says what each suite proves and how to run it.
package reliability
