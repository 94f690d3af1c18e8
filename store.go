package hookhub

import (
	"context"
	"time"
)

// Store is everything Hookhub keeps. The sqlite and postgres packages implement it
// and the storetest package holds the one conformance suite both must pass.
//
// Conventions: Get* returns an *Error with ENOTFOUND when nothing matches (never
// nil, nil); List* returns newest first with the next page's cursor ("" at the
// end); secret fields are encrypted before they reach the database.
type Store interface {
	// Ready reports whether the database answers and every migration is applied.
	Ready(ctx context.Context) error
	Close() error
	// Watch calls fn after every committed change to a source or
	// destination: before the changing call returns for changes made through
	// this store, and soon after for changes other processes make where the
	// database tells (PostgreSQL). fn must not block. Calling stop ends it.
	Watch(fn func(Change)) (stop func())

	CreateSource(ctx context.Context, s *Source) error
	GetSource(ctx context.Context, id string) (*Source, error)
	GetSourceByKey(ctx context.Context, key string) (*Source, error)
	ListSources(ctx context.Context, p Page) ([]*Source, string, error)
	// UpdateSource changes a source in one transaction: it reads the source,
	// locked against concurrent changes, calls change on it and saves what
	// change left. An error from change aborts the update and is returned.
	UpdateSource(ctx context.Context, id string, change func(*Source) error) (*Source, error)
	DeleteSource(ctx context.Context, id string) error

	// SaveEvents stores a batch of events, each with its deliveries and the
	// incident changes of its alerts, in one transaction: either all are
	// durable or none is. An event whose DedupKey was already taken in its
	// scope within its window is stored with Status EventDuplicate and
	// DuplicateOf set, and its deliveries and alerts are dropped. An event of
	// a source that no longer exists fails the batch with ENOTFOUND.
	SaveEvents(ctx context.Context, batch []*NewEvent) error
	GetEvent(ctx context.Context, id string) (*Event, error)
	// GetEvents returns the events with the given IDs that exist, in any order.
	GetEvents(ctx context.Context, ids []string) ([]*Event, error)
	ListEvents(ctx context.Context, f EventFilter) ([]*Event, string, error)
	// PruneEvents deletes up to limit events of a source that are older than
	// before or beyond the newest keep (keep 0 = no count limit), with their
	// deliveries and attempts, and returns how many it deleted.
	PruneEvents(ctx context.Context, sourceID string, before time.Time, keep, limit int) (int, error)
	// PruneRejected deletes up to limit rejected requests (of any source)
	// received before before, and returns how many it deleted.
	PruneRejected(ctx context.Context, before time.Time, limit int) (int, error)

	CreateDestination(ctx context.Context, d *Destination) error
	GetDestination(ctx context.Context, id string) (*Destination, error)
	ListDestinations(ctx context.Context, p Page) ([]*Destination, string, error)
	// UpdateDestination changes a destination in one transaction: it reads
	// the destination, locked against concurrent changes (recorded failures,
	// another update), calls change on it and saves what change left, but
	// its pause state (see PauseDestination). If change returns an event, it
	// is stored in the same transaction, announcing the change. An error
	// from change aborts the update and is returned.
	UpdateDestination(ctx context.Context, id string, change func(*Destination) (*NewEvent, error)) (*Destination, error)
	DeleteDestination(ctx context.Context, id string) error
	// PauseDestination pauses or resumes a destination and, in the same
	// transaction, holds or releases its pending deliveries. It returns
	// how many deliveries changed.
	PauseDestination(ctx context.Context, id string, paused bool, at time.Time) (int64, error)
	// HoldDelivery holds one pending delivery whose destination turned out
	// to be paused when it was claimed (or releases it if the destination
	// was resumed meanwhile), and ends its lease.
	HoldDelivery(ctx context.Context, id string) error
	// ReleaseHeld releases held deliveries of destinations that are not
	// paused: those a pause raced with (an event routed on a stale view
	// of the destination) and left behind. It returns how many it released.
	ReleaseHeld(ctx context.Context) (int64, error)

	// AddDeliveries queues new deliveries of events already stored (replays).
	AddDeliveries(ctx context.Context, ds []*Delivery) error
	// ClaimDeliveries leases up to limit pending deliveries due at or before now
	// whose lease has expired, so no two workers hold one at once.
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*Delivery, error)
	// CompleteAttempts records attempts and moves their deliveries on, releasing
	// the leases, in one transaction. It also keeps each destination's count of
	// consecutive failed deliveries (reset by a success). Only the current
	// lease holder's results count (see AttemptResult.LeaseToken); the others
	// are marked Stale and change nothing.
	CompleteAttempts(ctx context.Context, results []*AttemptResult) error
	GetDelivery(ctx context.Context, id string) (*Delivery, error)
	ListDeliveries(ctx context.Context, f DeliveryFilter) ([]*Delivery, string, error)
	ListAttempts(ctx context.Context, deliveryID string) ([]*Attempt, error)
	// RequeueDelivery makes a delivery pending again, due at now, with the trigger.
	RequeueDelivery(ctx context.Context, id, trigger string, now time.Time) (*Delivery, error)
	// RequeueFailed requeues every failed delivery of a destination created in
	// [since, until) and returns how many.
	RequeueFailed(ctx context.Context, destinationID string, since, until, now time.Time) (int, error)

	// ApplyAlert opens an incident for a firing alert, or joins the open one
	// with the same source and fingerprint (one open incident per fingerprint,
	// even when alerts race), or moves it on when the alert is acknowledged or
	// resolved; every alert adds a timeline entry.
	ApplyAlert(ctx context.Context, in *AlertInput) (*AlertOutcome, error)
	GetIncident(ctx context.Context, id string) (*Incident, error)
	ListIncidents(ctx context.Context, f IncidentFilter) ([]*Incident, string, error)
	// TransitionIncident applies an action (see NextStatus) by actor, with an
	// optional message, and returns the incident and its timeline entry.
	// announce, when set, makes the event announcing the change, stored in
	// the same transaction.
	TransitionIncident(ctx context.Context, id, action, actor, message string, at time.Time, announce Announcer) (*Incident, *TimelineEntry, error)
	// AddIncidentComment adds a comment; announce as in TransitionIncident.
	AddIncidentComment(ctx context.Context, id, actor, message string, at time.Time, announce Announcer) (*Incident, *TimelineEntry, error)
	// IncidentsForEvent returns the incidents whose timeline names the event
	// (the webhooks that opened or joined them), newest first.
	IncidentsForEvent(ctx context.Context, eventID string) ([]*Incident, error)
	// ListTimeline returns a page of an incident's entries, oldest first,
	// and the cursor of the next page ("" at the end).
	ListTimeline(ctx context.Context, incidentID string, p Page) ([]*TimelineEntry, string, error)

	// Stats counts the events and deliveries since since (by minute and by
	// status) and the open incidents by severity.
	Stats(ctx context.Context, since time.Time) (*Stats, error)

	// CreateWorkflow stores a new workflow at version 1 and, when src is
	// set, the source made for it, in one transaction.
	CreateWorkflow(ctx context.Context, w *Workflow, src *Source) error
	GetWorkflow(ctx context.Context, id string) (*Workflow, error)
	// GetWorkflowBySource returns the workflow a source triggers.
	GetWorkflowBySource(ctx context.Context, sourceID string) (*Workflow, error)
	// GetWorkflowVersion returns a workflow with its definition as it was
	// at version.
	GetWorkflowVersion(ctx context.Context, id string, version int) (*Workflow, error)
	ListWorkflows(ctx context.Context, p Page) ([]*Workflow, string, error)
	// UpdateWorkflow saves a workflow's settings and its definition as the
	// next version (w.Version is set to it) and, when src is set, its
	// source, in one transaction.
	UpdateWorkflow(ctx context.Context, w *Workflow, src *Source) error
	// DeleteWorkflow deletes a workflow with its runs, and its source (with
	// the source's events) when the workflow owns it.
	DeleteWorkflow(ctx context.Context, id string) error

	// CreateWorkflowRun queues a run of an event already stored (re-runs).
	CreateWorkflowRun(ctx context.Context, r *WorkflowRun) error
	// GetWorkflowRun returns a run with its steps.
	GetWorkflowRun(ctx context.Context, id string) (*WorkflowRun, error)
	ListWorkflowRuns(ctx context.Context, f RunFilter) ([]*WorkflowRun, string, error)
	// ClaimWorkflowRuns leases up to limit runs that are due at now and not
	// leased (queued, waiting past their delay, or running under an expired
	// lease), marks them running and counts the claim.
	ClaimWorkflowRuns(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*WorkflowRun, error)
	// SaveRunProgress saves runs' states with their new steps and the events
	// their nodes made, all in one transaction. A run whose Claims is no
	// longer its claim count (another runner took it over) is left as it is
	// and its progress is marked Conflict; the others are saved. Run progress
	// is not acknowledged to anyone, so the commit need not wait for the disk:
	// a power failure may undo it, and the run resumes from before it.
	SaveRunProgress(ctx context.Context, batch []*RunProgress) error

	CreateUser(ctx context.Context, u *User) error
	GetUser(ctx context.Context, id string) (*User, error)
	GetUserByUsername(ctx context.Context, username string) (*User, error)
	CountUsers(ctx context.Context) (int, error)
	// BootstrapAdmin creates the first user and its API key in one
	// transaction, unless the store has a user already (created false), even
	// when processes starting together race to do it.
	BootstrapAdmin(ctx context.Context, u *User, k *APIKey) (created bool, err error)
	// ListUsers returns users by username.
	ListUsers(ctx context.Context) ([]*User, error)
	// UpdateUser saves a user's username, password hash and role. In the same
	// transaction it lowers the roles of the user's API keys to at most the
	// new role, and refuses (ECONFLICT) to leave no admin.
	UpdateUser(ctx context.Context, u *User) error
	// DeleteUser deletes a user with its sessions and API keys; it refuses
	// (ECONFLICT) to delete the last admin.
	DeleteUser(ctx context.Context, id string) error

	CreateAPIKey(ctx context.Context, k *APIKey) error
	GetAPIKey(ctx context.Context, id string) (*APIKey, error)
	ListAPIKeys(ctx context.Context, p Page) ([]*APIKey, string, error)
	// TouchAPIKey records that a key was used at at.
	TouchAPIKey(ctx context.Context, id string, at time.Time) error
	DeleteAPIKey(ctx context.Context, id string) error

	CreateSession(ctx context.Context, s *Session) error
	GetSession(ctx context.Context, id string) (*Session, error)
	// TouchSession moves a session's last activity to at.
	TouchSession(ctx context.Context, id string, at time.Time) error
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions ends every session of a user but except (may be "")
	// and returns how many it ended.
	DeleteUserSessions(ctx context.Context, userID, except string) (int, error)
	// PruneSessions deletes sessions whose absolute expiry or idle limit
	// (last activity before idleBefore) has passed, and login failures
	// recorded before idleBefore; it returns how many sessions it deleted.
	PruneSessions(ctx context.Context, now, idleBefore time.Time) (int, error)

	// RecordLoginFailure notes a failed sign-in under each key (a username,
	// an address), so that limits hold across replicas.
	RecordLoginFailure(ctx context.Context, keys []string, at time.Time) error
	// CountLoginFailures returns how many failures key has had since since.
	CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	// ClearLoginFailures forgets the failures of keys (after a sign-in).
	ClearLoginFailures(ctx context.Context, keys []string) error
}

// NewEvent is an event to store together with the deliveries it starts.
type NewEvent struct {
	Event      *Event
	Deliveries []*Delivery
	// DedupScope and DedupWindow qualify Event.DedupKey: keys are unique per
	// scope (a source ID, or "api" for published events) for the window
	// (0 = forever).
	DedupScope  string
	DedupWindow time.Duration
	// Alerts are applied as ApplyAlert does, in the event's transaction, when
	// the event is stored as accepted: an alert's incident change is durable
	// exactly when its event is, so a sender retrying a failed request never
	// has its alert counted twice. Their EventID is set to the event's.
	Alerts []*AlertInput
	// AlertOutcomes is set by SaveEvents once committed: one per alert, in
	// order; nil when the alerts were dropped with the event's deliveries.
	AlertOutcomes []*AlertOutcome
	// Runs are the workflow runs the event starts, stored with it unless it
	// is a duplicate.
	Runs []*WorkflowRun
}
