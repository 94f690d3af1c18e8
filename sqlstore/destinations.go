package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/hookhub/hookhub"
)

const destinationCols = `id, name, type, enabled, disabled_reason, paused, consecutive_failures, config, secrets, created_at, updated_at`

// CreateDestination stores a new destination, giving it an ID and timestamps if unset.
func (s *Store) CreateDestination(ctx context.Context, d *hookhub.Destination) error {
	if d.ID == "" {
		d.ID = hookhub.NewID(hookhub.PrefixDestination)
	}
	d.CreatedAt = s.stamp(d.CreatedAt)
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = d.CreatedAt
	}
	d.UpdatedAt = s.stamp(d.UpdatedAt)
	config, secrets, err := s.destinationColumns(d)
	if err != nil {
		return err
	}
	err = s.inChangeTx(ctx, func(tx *sql.Tx, note func(hookhub.Change) error) error {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO destinations (`+destinationCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			d.ID, d.Name, typeOrWebhook(d.Type), d.Enabled, d.DisabledReason, d.Paused, d.ConsecutiveFailures, config, secrets,
			s.d.t(d.CreatedAt), s.d.t(d.UpdatedAt))
		if err != nil {
			return err
		}
		return note(hookhub.Change{Kind: hookhub.ChangeDestination, ID: d.ID})
	})
	return s.check(err, "create destination")
}

// GetDestination returns the destination with the given ID.
func (s *Store) GetDestination(ctx context.Context, id string) (*hookhub.Destination, error) {
	row := s.read.QueryRowContext(ctx, s.q(`SELECT `+destinationCols+` FROM destinations WHERE id = ?`), id)
	d, err := s.scanDestination(row)
	return d, s.found(err, "destination", id)
}

// ListDestinations returns destinations newest first.
func (s *Store) ListDestinations(ctx context.Context, p hookhub.Page) ([]*hookhub.Destination, string, error) {
	query, args := pageQuery(`SELECT `+destinationCols+` FROM destinations`, &where{}, p)
	list, next, err := listPage(ctx, s, query, args, p, s.scanDestination, func(x *hookhub.Destination) string { return x.ID })
	if err != nil {
		return nil, "", s.check(err, "list destinations")
	}
	return list, next, nil
}

// UpdateDestination changes a destination in one transaction, its row
// locked while change runs (so a recorded failure or another update cannot
// fall between the read and the write), and saves every setting change left
// but its ID, creation time and pause state. The event change returns, if
// any, is stored in the same transaction.
func (s *Store) UpdateDestination(ctx context.Context, id string, change func(*hookhub.Destination) (*hookhub.NewEvent, error)) (*hookhub.Destination, error) {
	var d *hookhub.Destination
	var ne *hookhub.NewEvent
	err := s.inChangeTx(ctx, func(tx *sql.Tx, note func(hookhub.Change) error) error {
		row := tx.QueryRowContext(ctx, s.q(`SELECT `+destinationCols+` FROM destinations WHERE id = ? `+s.d.changeRows), id)
		var err error
		if d, err = s.scanDestination(row); err != nil {
			return s.found(err, "destination", id)
		}
		created, paused := d.CreatedAt, d.Paused
		if ne, err = change(d); err != nil {
			return err
		}
		d.ID, d.CreatedAt, d.Paused, d.UpdatedAt = id, created, paused, s.stamp(d.UpdatedAt)
		if err := s.saveDestination(ctx, tx, d); err != nil {
			return err
		}
		if err := note(hookhub.Change{Kind: hookhub.ChangeDestination, ID: id}); err != nil {
			return err
		}
		return s.saveInTx(ctx, tx, ne)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// saveDestination writes every column of d but its pause state and creation time.
func (s *Store) saveDestination(ctx context.Context, tx *sql.Tx, d *hookhub.Destination) error {
	config, secrets, err := s.destinationColumns(d)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.q(`UPDATE destinations SET name = ?, type = ?, enabled = ?,
		disabled_reason = ?, consecutive_failures = ?, config = ?, secrets = ?, updated_at = ? WHERE id = ?`),
		d.Name, typeOrWebhook(d.Type), d.Enabled, d.DisabledReason, d.ConsecutiveFailures, config, secrets, s.d.t(d.UpdatedAt), d.ID)
	return s.check(err, "update destination")
}

// DeleteDestination deletes a destination with its deliveries and attempts,
// and takes it out of the destination_ids of the sources that name it.
func (s *Store) DeleteDestination(ctx context.Context, id string) error {
	err := s.inChangeTx(ctx, func(tx *sql.Tx, note func(hookhub.Change) error) error {
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM destinations WHERE id = ?`), id)
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil {
			return err
		} else if k == 0 {
			return hookhub.Errorf(hookhub.ENOTFOUND, "destination %q not found", id)
		}
		if err := note(hookhub.Change{Kind: hookhub.ChangeDestination, ID: id}); err != nil {
			return err
		}
		return s.unnameDestination(ctx, tx, id, note)
	})
	if hookhub.ErrorCode(err) == hookhub.ENOTFOUND {
		return err
	}
	return s.check(err, "delete destination")
}

// unnameDestination removes id from every source's destination_ids. The
// LIKE only narrows the sources to decode; the decoded list decides.
func (s *Store) unnameDestination(ctx context.Context, tx *sql.Tx, id string, note func(hookhub.Change) error) error {
	rows, err := tx.QueryContext(ctx, s.q(`SELECT id, config FROM sources WHERE config LIKE ?`), `%"`+id+`"%`)
	if err != nil {
		return err
	}
	type named struct {
		id  string
		cfg sourceConfig
	}
	var found []named
	for rows.Next() {
		var n named
		if err := rows.Scan(&n.id, js(&n.cfg)); err != nil {
			rows.Close()
			return err
		}
		found = append(found, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range found {
		kept := slices.DeleteFunc(slices.Clone(n.cfg.DestinationIDs), func(d string) bool { return d == id })
		if len(kept) == len(n.cfg.DestinationIDs) {
			continue
		}
		n.cfg.DestinationIDs = kept
		text, err := jsonText(n.cfg)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE sources SET config = ? WHERE id = ?`), text, n.id); err != nil {
			return err
		}
		if err := note(hookhub.Change{Kind: hookhub.ChangeSource, ID: n.id}); err != nil {
			return err
		}
	}
	return nil
}

// pauseChunk is how many deliveries one transaction of a pause or resume
// moves: a destination with a deep queue must not hold the writer (and with
// it every ingest commit) for the whole move.
const pauseChunk = 5000

// PauseDestination pauses or resumes a destination, holding or releasing its
// pending deliveries in chunks. The order keeps every interruption safe to
// repeat: a pause marks the destination first (the delivery engine holds any
// delivery it still claims for it), then holds the queue; a resume releases
// the queue while the destination is still paused, and only the last
// transaction, which releases what came in meanwhile, unpauses it.
func (s *Store) PauseDestination(ctx context.Context, id string, paused bool, at time.Time) (int64, error) {
	var n int64
	setFlag := func(tx *sql.Tx, note func(hookhub.Change) error) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE destinations SET paused = ?, updated_at = ? WHERE id = ?`),
			paused, s.d.t(s.stamp(at)), id)
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil {
			return err
		} else if k == 0 {
			return hookhub.Errorf(hookhub.ENOTFOUND, "destination %s not found", id)
		}
		return note(hookhub.Change{Kind: hookhub.ChangeDestination, ID: id})
	}
	move := func(tx *sql.Tx, limit bool) (int64, error) {
		cond := `destination_id = ? AND status = 'pending' AND held = FALSE`
		if !paused {
			cond = `destination_id = ? AND held = TRUE`
		}
		q := `UPDATE deliveries SET held = ? WHERE ` + cond
		args := []any{paused, id}
		if limit {
			q = `UPDATE deliveries SET held = ? WHERE id IN (SELECT id FROM deliveries WHERE ` + cond + ` LIMIT ?)`
			args = append(args, pauseChunk)
		}
		res, err := tx.ExecContext(ctx, s.q(q), args...)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	}
	chunks := func() error {
		for {
			var k int64
			err := s.inTx(ctx, func(tx *sql.Tx) error {
				var err error
				k, err = move(tx, true)
				return err
			})
			if err != nil {
				return err
			}
			n += k
			if k < pauseChunk {
				return nil
			}
		}
	}
	var err error
	if paused {
		if err = s.inChangeTx(ctx, setFlag); err == nil {
			err = chunks()
		}
	} else {
		if _, err = s.GetDestination(ctx, id); err == nil {
			if err = chunks(); err == nil {
				err = s.inChangeTx(ctx, func(tx *sql.Tx, note func(hookhub.Change) error) error {
					if err := setFlag(tx, note); err != nil {
						return err
					}
					k, err := move(tx, false)
					n += k
					return err
				})
			}
		}
	}
	if hookhub.ErrorCode(err) == hookhub.ENOTFOUND {
		return 0, err
	}
	return n, s.check(err, "pause destination")
}

func (s *Store) destinationColumns(d *hookhub.Destination) (config string, secrets []byte, err error) {
	c, sec := destinationConfigOf(d)
	if config, err = jsonText(c); err != nil {
		return "", nil, err
	}
	secrets, err = s.seal(sec)
	return config, secrets, err
}

func (s *Store) scanDestination(row scanner) (*hookhub.Destination, error) {
	var d hookhub.Destination
	var c destinationConfig
	var sealed []byte
	err := row.Scan(&d.ID, &d.Name, &d.Type, &d.Enabled, &d.DisabledReason, &d.Paused, &d.ConsecutiveFailures,
		js(&c), &sealed, tm(&d.CreatedAt), tm(&d.UpdatedAt))
	if err != nil {
		return nil, err
	}
	var sec destinationSecrets
	if err := s.unseal(sealed, &sec); err != nil {
		return nil, err
	}
	c.applyTo(&d, sec)
	return &d, nil
}

// typeOrWebhook stores a destination without a type as a webhook, the
// default.
func typeOrWebhook(t string) string {
	if t == "" {
		return hookhub.DestinationWebhook
	}
	return t
}
