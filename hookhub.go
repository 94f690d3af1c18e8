// Package hookhub holds Hookhub's domain: the things it manages (sources, events,
// destinations, deliveries, incidents, workflows, users, API keys), the errors it
// speaks in, and the Store interface that the sqlite and postgres packages implement.
// Nothing here knows about SQL or HTTP.
package hookhub

// Version is the running build's version; set with -ldflags at release time.
var Version = "0.1.0-dev"
