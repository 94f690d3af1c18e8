package sqlstore

import (
	"context"
	"database/sql"

	"github.com/hookhub/hookhub"
)

const workflowCols = `w.id, w.name, w.source_id, w.owns_source, w.enabled, w.version, w.created_at, w.updated_at, v.definition, v.secrets`

// workflowFrom joins each workflow with the version its columns name.
const workflowFrom = ` FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.version`

// CreateWorkflow stores a new workflow at version 1, and src with it when
// set, giving both IDs and timestamps if unset.
func (s *Store) CreateWorkflow(ctx context.Context, w *hookhub.Workflow, src *hookhub.Source) error {
	if w.ID == "" {
		w.ID = hookhub.NewID(hookhub.PrefixWorkflow)
	}
	w.CreatedAt = s.stamp(w.CreatedAt)
	if w.UpdatedAt.IsZero() {
		w.UpdatedAt = w.CreatedAt
	}
	w.UpdatedAt = s.stamp(w.UpdatedAt)
	var srcArgs []any
	if src != nil {
		var err error
		if srcArgs, err = s.newSourceArgs(src); err != nil {
			return err
		}
		w.SourceID = src.ID
	}
	def, sealed, err := s.workflowColumns(w)
	if err != nil {
		return err
	}
	w.Version = 1
	err = s.inChangeTx(ctx, func(tx *sql.Tx, note func(hookhub.Change) error) error {
		if src != nil {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO sources (`+sourceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), srcArgs...); err != nil {
				return s.check(err, "create workflow source")
			}
			if err := note(hookhub.Change{Kind: hookhub.ChangeSource, ID: src.ID}); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO workflows (id, name, source_id, owns_source, enabled, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
			w.ID, w.Name, w.SourceID, w.OwnsSource, w.Enabled, w.Version, s.d.t(w.CreatedAt), s.d.t(w.UpdatedAt))
		if err != nil {
			return s.check(err, "create workflow")
		}
		return s.insertVersion(ctx, tx, w, def, sealed)
	})
	if err != nil {
		w.Version = 0
	}
	return err
}

// newSourceArgs fills a new source's ID and times and returns its row.
func (s *Store) newSourceArgs(src *hookhub.Source) ([]any, error) {
	if src.ID == "" {
		src.ID = hookhub.NewID(hookhub.PrefixSource)
	}
	src.CreatedAt = s.stamp(src.CreatedAt)
	if src.UpdatedAt.IsZero() {
		src.UpdatedAt = src.CreatedAt
	}
	src.UpdatedAt = s.stamp(src.UpdatedAt)
	config, secrets, err := s.sourceColumns(src)
	if err != nil {
		return nil, err
	}
	return []any{src.ID, src.Name, src.Type, src.Key, src.Active, config, secrets, s.d.t(src.CreatedAt), s.d.t(src.UpdatedAt)}, nil
}

func (s *Store) insertVersion(ctx context.Context, tx *sql.Tx, w *hookhub.Workflow, def string, sealed []byte) error {
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO workflow_versions (workflow_id, version, definition, secrets, created_at)
		VALUES (?, ?, ?, ?, ?)`), w.ID, w.Version, def, sealed, s.d.t(w.UpdatedAt))
	return s.check(err, "save workflow version")
}

// GetWorkflow returns the workflow with the given ID, at its current version.
func (s *Store) GetWorkflow(ctx context.Context, id string) (*hookhub.Workflow, error) {
	row := s.read.QueryRowContext(ctx, s.q(`SELECT `+workflowCols+workflowFrom+` WHERE w.id = ?`), id)
	w, err := s.scanWorkflow(row)
	return w, s.found(err, "workflow", id)
}

// GetWorkflowBySource returns the workflow a source triggers.
func (s *Store) GetWorkflowBySource(ctx context.Context, sourceID string) (*hookhub.Workflow, error) {
	row := s.read.QueryRowContext(ctx, s.q(`SELECT `+workflowCols+workflowFrom+` WHERE w.source_id = ?`), sourceID)
	w, err := s.scanWorkflow(row)
	return w, s.found(err, "workflow of source", sourceID)
}

// GetWorkflowVersion returns a workflow with its definition at version; its
// other settings are current.
func (s *Store) GetWorkflowVersion(ctx context.Context, id string, version int) (*hookhub.Workflow, error) {
	row := s.read.QueryRowContext(ctx, s.q(`SELECT w.id, w.name, w.source_id, w.owns_source, w.enabled, v.version,
		w.created_at, w.updated_at, v.definition, v.secrets
		FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id WHERE w.id = ? AND v.version = ?`), id, version)
	w, err := s.scanWorkflow(row)
	return w, s.found(err, "workflow version", id)
}

// ListWorkflows returns workflows newest first.
func (s *Store) ListWorkflows(ctx context.Context, p hookhub.Page) ([]*hookhub.Workflow, string, error) {
	wh := &where{}
	if p.Cursor != "" {
		wh.add("w.id < ?", p.Cursor)
	}
	query := `SELECT ` + workflowCols + workflowFrom + wh.String() + ` ORDER BY w.id DESC LIMIT ?`
	args := append(wh.args, p.PageLimit()+1)
	list, next, err := listPage(ctx, s, query, args, hookhub.Page{Limit: p.Limit}, s.scanWorkflow,
		func(x *hookhub.Workflow) string { return x.ID })
	if err != nil {
		return nil, "", s.check(err, "list workflows")
	}
	return list, next, nil
}

// UpdateWorkflow saves a workflow's settings and its definition as the next
// version, and src when set, in one transaction.
func (s *Store) UpdateWorkflow(ctx context.Context, w *hookhub.Workflow, src *hookhub.Source) error {
	w.UpdatedAt = s.stamp(w.UpdatedAt)
	def, sealed, err := s.workflowColumns(w)
	if err != nil {
		return err
	}
	var srcConfig string
	var srcSecrets []byte
	if src != nil {
		src.UpdatedAt = s.stamp(src.UpdatedAt)
		if srcConfig, srcSecrets, err = s.sourceColumns(src); err != nil {
			return err
		}
	}
	var version int
	err = s.inChangeTx(ctx, func(tx *sql.Tx, note func(hookhub.Change) error) error {
		err := tx.QueryRowContext(ctx, s.q(`UPDATE workflows SET name = ?, enabled = ?, version = version + 1, updated_at = ?
			WHERE id = ? RETURNING version`), w.Name, w.Enabled, s.d.t(w.UpdatedAt), w.ID).Scan(&version)
		if err != nil {
			return s.found(err, "workflow", w.ID)
		}
		next := *w
		next.Version = version
		if err := s.insertVersion(ctx, tx, &next, def, sealed); err != nil {
			return err
		}
		if src == nil {
			return nil
		}
		res, err := tx.ExecContext(ctx, s.q(`UPDATE sources SET name = ?, type = ?, url_key = ?, active = ?,
			config = ?, secrets = ?, updated_at = ? WHERE id = ?`),
			src.Name, src.Type, src.Key, src.Active, srcConfig, srcSecrets, s.d.t(src.UpdatedAt), src.ID)
		if err := s.affected(res, err, "update workflow source", "source", src.ID); err != nil {
			return err
		}
		return note(hookhub.Change{Kind: hookhub.ChangeSource, ID: src.ID})
	})
	if err != nil {
		return err
	}
	w.Version = version
	return nil
}

// DeleteWorkflow deletes a workflow (its versions and runs cascade), and the
// source it owns with that source's events and dedup keys.
func (s *Store) DeleteWorkflow(ctx context.Context, id string) error {
	return s.inChangeTx(ctx, func(tx *sql.Tx, note func(hookhub.Change) error) error {
		var sourceID string
		var owns bool
		err := tx.QueryRowContext(ctx, s.q(`DELETE FROM workflows WHERE id = ? RETURNING source_id, owns_source`), id).Scan(&sourceID, &owns)
		if err != nil {
			return s.found(err, "workflow", id)
		}
		if !owns {
			return nil
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM sources WHERE id = ?`), sourceID); err != nil {
			return s.check(err, "delete workflow source")
		}
		return note(hookhub.Change{Kind: hookhub.ChangeSource, ID: sourceID})
	})
}

func (s *Store) workflowColumns(w *hookhub.Workflow) (def string, sealed []byte, err error) {
	d, sec := workflowDefOf(w)
	if def, err = jsonText(d); err != nil {
		return "", nil, err
	}
	sealed, err = s.seal(sec)
	return def, sealed, err
}

func (s *Store) scanWorkflow(row scanner) (*hookhub.Workflow, error) {
	var w hookhub.Workflow
	var def workflowDef
	var sealed []byte
	err := row.Scan(&w.ID, &w.Name, &w.SourceID, &w.OwnsSource, &w.Enabled, &w.Version,
		tm(&w.CreatedAt), tm(&w.UpdatedAt), js(&def), &sealed)
	if err != nil {
		return nil, err
	}
	var sec workflowSecrets
	if err := s.unseal(sealed, &sec); err != nil {
		return nil, err
	}
	def.applyTo(&w, sec)
	return &w, nil
}
