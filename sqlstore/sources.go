package sqlstore

import (
	"context"
	"database/sql"

	"github.com/hookhub/hookhub"
)

const sourceCols = `id, name, type, url_key, active, config, secrets, created_at, updated_at`

// CreateSource stores a new source, giving it an ID and timestamps if unset.
func (s *Store) CreateSource(ctx context.Context, src *hookhub.Source) error {
	args, err := s.newSourceArgs(src)
	if err != nil {
		return err
	}
	err = s.inChangeTx(ctx, func(tx *sql.Tx, note func(hookhub.Change) error) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO sources (`+sourceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), args...); err != nil {
			return err
		}
		return note(hookhub.Change{Kind: hookhub.ChangeSource, ID: src.ID})
	})
	return s.check(err, "create source")
}

// GetSource returns the source with the given ID.
func (s *Store) GetSource(ctx context.Context, id string) (*hookhub.Source, error) {
	row := s.read.QueryRowContext(ctx, s.q(`SELECT `+sourceCols+` FROM sources WHERE id = ?`), id)
	src, err := s.scanSource(row)
	return src, s.found(err, "source", id)
}

// GetSourceByKey returns the source whose URL key is key.
func (s *Store) GetSourceByKey(ctx context.Context, key string) (*hookhub.Source, error) {
	row := s.read.QueryRowContext(ctx, s.q(`SELECT `+sourceCols+` FROM sources WHERE url_key = ?`), key)
	src, err := s.scanSource(row)
	return src, s.found(err, "source with key", key)
}

// ListSources returns sources newest first.
func (s *Store) ListSources(ctx context.Context, p hookhub.Page) ([]*hookhub.Source, string, error) {
	query, args := pageQuery(`SELECT `+sourceCols+` FROM sources`, &where{}, p)
	list, next, err := listPage(ctx, s, query, args, p, s.scanSource, func(x *hookhub.Source) string { return x.ID })
	if err != nil {
		return nil, "", s.check(err, "list sources")
	}
	return list, next, nil
}

// UpdateSource changes a source in one transaction, its row locked while
// change runs, and saves every setting change left but its ID and creation
// time.
func (s *Store) UpdateSource(ctx context.Context, id string, change func(*hookhub.Source) error) (*hookhub.Source, error) {
	var src *hookhub.Source
	err := s.inChangeTx(ctx, func(tx *sql.Tx, note func(hookhub.Change) error) error {
		row := tx.QueryRowContext(ctx, s.q(`SELECT `+sourceCols+` FROM sources WHERE id = ? `+s.d.changeRows), id)
		var err error
		if src, err = s.scanSource(row); err != nil {
			return s.found(err, "source", id)
		}
		created := src.CreatedAt
		if err := change(src); err != nil {
			return err
		}
		src.ID, src.CreatedAt, src.UpdatedAt = id, created, s.stamp(src.UpdatedAt)
		config, secrets, err := s.sourceColumns(src)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE sources SET name = ?, type = ?, url_key = ?, active = ?,
			config = ?, secrets = ?, updated_at = ? WHERE id = ?`),
			src.Name, src.Type, src.Key, src.Active, config, secrets, s.d.t(src.UpdatedAt), id)
		if err != nil {
			return s.check(err, "update source")
		}
		return note(hookhub.Change{Kind: hookhub.ChangeSource, ID: id})
	})
	if err != nil {
		return nil, err
	}
	return src, nil
}

// DeleteSource deletes a source with its events (and the dedup keys they
// hold) and their deliveries.
func (s *Store) DeleteSource(ctx context.Context, id string) error {
	return s.inChangeTx(ctx, func(tx *sql.Tx, note func(hookhub.Change) error) error {
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM sources WHERE id = ?`), id)
		if err := s.affected(res, err, "delete source", "source", id); err != nil {
			return err
		}
		return note(hookhub.Change{Kind: hookhub.ChangeSource, ID: id})
	})
}

func (s *Store) sourceColumns(src *hookhub.Source) (config string, secrets []byte, err error) {
	c, sec := sourceConfigOf(src)
	if config, err = jsonText(c); err != nil {
		return "", nil, err
	}
	secrets, err = s.seal(sec)
	return config, secrets, err
}

func (s *Store) scanSource(row scanner) (*hookhub.Source, error) {
	var src hookhub.Source
	var c sourceConfig
	var sealed []byte
	err := row.Scan(&src.ID, &src.Name, &src.Type, &src.Key, &src.Active, js(&c), &sealed,
		tm(&src.CreatedAt), tm(&src.UpdatedAt))
	if err != nil {
		return nil, err
	}
	var sec sourceSecrets
	if err := s.unseal(sealed, &sec); err != nil {
		return nil, err
	}
	c.applyTo(&src, sec)
	return &src, nil
}
