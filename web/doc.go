// Package web holds what every HTTP face of Hookhub shares: the one mapping
// from domain error codes to HTTP status, answered as JSON to programs and as
// a small HTML page to browsers; JSON answers and request decoding; and the
// middleware that gives each request an ID, a logger and panic recovery. The
// API (package server) and the console both build on it, so an error reads
// the same wherever it is raised.
package web
