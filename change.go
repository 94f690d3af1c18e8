package hookhub

// Kinds of Change.
const (
	ChangeSource      = "source"
	ChangeDestination = "destination"
	// ChangeAll says that changes may have been missed (the watch on other
	// processes was interrupted): forget everything kept.
	ChangeAll = "all"
)

// Change names a stored object that was created, changed or deleted, so that
// whoever keeps a copy of it (a cache, a routing table) forgets it.
type Change struct {
	Kind string // Change* constant
	ID   string // "" with ChangeAll
}

// Affects reports whether c may concern objects of the given kind.
func (c Change) Affects(kind string) bool {
	return c.Kind == kind || c.Kind == ChangeAll
}
