// Package ingest understands inbound webhook requests and stores them quickly.
//
// The understanding parts are pure functions from request values to values:
// mediatype.Check and CheckJSON decide whether a body is acceptable; Flatten,
// FlattenQuery and FlattenForm turn bodies and query strings into dot paths
// ("b.c", "items[0].id") in the manner of NocoBase's webhook trigger; Select
// and Variables pick the values a source asked for; EventType reads an event's
// type. The Committer is the one piece with I/O: it lets concurrent requests
// share database transactions.
package ingest
