// Package workflow validates and runs workflows: a webhook reaches a
// workflow's source, and the workflow decides what to answer and what to do.
//
// The decisions are pure and table-tested: Compile checks a definition when
// it is saved (unknown node types, missing or dangling then/else/next,
// unreachable nodes, cycles, CEL that does not compile, a respond node in an
// async workflow) and compiles every expression and template once; Step
// evaluates the node a run is at and returns its output and next node, or
// the effect (an HTTP request, a delivery, an incident change, a wait, an
// answer) the runner must perform first. The Runner does that I/O: it
// claims runs from the store, performs each effect and saves each run's
// progress, so a run survives restarts and a delay resumes on time.
//
// Node types are registered by name (see kinds). The variables every
// expression and template sees are trigger (headers, query, body, vars,
// event_id, event_type) and nodes (nodes.<id>.output).
package workflow
