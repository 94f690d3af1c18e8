package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/hookhub/hookhub"
)

const runCols = `id, workflow_id, version, event_id, rerun_of, status, node, outputs, error, failed_node, step_count,
	due_at, lease_until, claims, started_at, finished_at, created_at, updated_at`

// runDefaults fills what the caller left unset.
func (s *Store) runDefaults(r *hookhub.WorkflowRun) {
	if r.ID == "" {
		r.ID = hookhub.NewID(hookhub.PrefixRun)
	}
	if r.Status == "" {
		r.Status = hookhub.RunQueued
	}
	r.CreatedAt = s.stamp(r.CreatedAt)
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = r.CreatedAt
	}
	r.UpdatedAt = s.stamp(r.UpdatedAt)
	if r.DueAt.IsZero() {
		r.DueAt = r.CreatedAt
	}
	r.DueAt = s.stamp(r.DueAt)
	for _, t := range []*time.Time{&r.LeaseUntil, &r.StartedAt, &r.FinishedAt} {
		if !t.IsZero() {
			*t = s.stamp(*t)
		}
	}
}

func (s *Store) runArgs(r *hookhub.WorkflowRun) ([]any, error) {
	outputs, err := jsonText(nonNilMap(r.Outputs))
	if err != nil {
		return nil, fmt.Errorf("run %s outputs: %w", r.ID, err)
	}
	return []any{r.ID, r.WorkflowID, r.Version, r.EventID, r.RerunOf, r.Status, r.Node, outputs, cleanText(r.Error),
		r.FailedNode, r.StepCount, s.d.t(r.DueAt), s.d.t(r.LeaseUntil), r.Claims, s.d.t(r.StartedAt),
		s.d.t(r.FinishedAt), s.d.t(r.CreatedAt), s.d.t(r.UpdatedAt)}, nil
}

func nonNilMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func scanRun(row scanner) (*hookhub.WorkflowRun, error) {
	var r hookhub.WorkflowRun
	err := row.Scan(&r.ID, &r.WorkflowID, &r.Version, &r.EventID, &r.RerunOf, &r.Status, &r.Node, js(&r.Outputs),
		&r.Error, &r.FailedNode, &r.StepCount, tm(&r.DueAt), tm(&r.LeaseUntil), &r.Claims, tm(&r.StartedAt),
		tm(&r.FinishedAt), tm(&r.CreatedAt), tm(&r.UpdatedAt))
	if err != nil {
		return nil, err
	}
	if r.Outputs == nil {
		r.Outputs = map[string]any{}
	}
	return &r, nil
}

// insertRuns inserts runs in tx with multi-row statements.
func (s *Store) insertRuns(ctx context.Context, tx *sql.Tx, runs []*hookhub.WorkflowRun) error {
	rows := make([][]any, 0, len(runs))
	for _, r := range runs {
		args, err := s.runArgs(r)
		if err != nil {
			return err
		}
		rows = append(rows, args)
	}
	if err := s.insertRows(ctx, tx, `INSERT INTO workflow_runs (`+runCols+`)`, rows); err != nil {
		return fmt.Errorf("insert workflow runs: %w", err)
	}
	return nil
}

// CreateWorkflowRun queues a run of an event already stored.
func (s *Store) CreateWorkflowRun(ctx context.Context, r *hookhub.WorkflowRun) error {
	s.runDefaults(r)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		return s.insertRuns(ctx, tx, []*hookhub.WorkflowRun{r})
	})
	return s.check(err, "create workflow run")
}

// GetWorkflowRun returns a run with its steps in order.
func (s *Store) GetWorkflowRun(ctx context.Context, id string) (*hookhub.WorkflowRun, error) {
	row := s.read.QueryRowContext(ctx, s.q(`SELECT `+runCols+` FROM workflow_runs WHERE id = ?`), id)
	r, err := scanRun(row)
	if err != nil {
		return nil, s.found(err, "workflow run", id)
	}
	r.Steps, err = queryAll(ctx, s, `SELECT run_id, seq, node, type, status, input, output, error, started_at, duration_ms
		FROM workflow_steps WHERE run_id = ? ORDER BY seq`, []any{id}, scanStep)
	if err != nil {
		return nil, s.check(err, "get workflow run steps")
	}
	return r, nil
}

func scanStep(row scanner) (*hookhub.WorkflowStep, error) {
	var st hookhub.WorkflowStep
	err := row.Scan(&st.RunID, &st.Seq, &st.Node, &st.Type, &st.Status, js(&st.Input), js(&st.Output), &st.Error,
		tm(&st.StartedAt), &st.DurationMS)
	if err != nil {
		return nil, err
	}
	return &st, nil
}

// ListWorkflowRuns returns runs newest first.
func (s *Store) ListWorkflowRuns(ctx context.Context, f hookhub.RunFilter) ([]*hookhub.WorkflowRun, string, error) {
	w := &where{}
	if f.WorkflowID != "" {
		w.add("workflow_id = ?", f.WorkflowID)
	}
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	query, args := pageQuery(`SELECT `+runCols+` FROM workflow_runs`, w, f.Page)
	list, next, err := listPage(ctx, s, query, args, f.Page, scanRun, func(x *hookhub.WorkflowRun) string { return x.ID })
	if err != nil {
		return nil, "", s.check(err, "list workflow runs")
	}
	return list, next, nil
}

// ClaimWorkflowRuns leases up to limit due, unleased runs, earliest due
// first, in one statement; see ClaimDeliveries for how claimers stay apart.
func (s *Store) ClaimWorkflowRuns(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*hookhub.WorkflowRun, error) {
	if limit <= 0 {
		return nil, nil
	}
	now = s.stamp(now)
	query := `UPDATE workflow_runs SET status = 'running', lease_until = ?, claims = claims + 1,
			started_at = COALESCE(started_at, ?), updated_at = ?
		WHERE id IN (SELECT id FROM workflow_runs
			WHERE status IN ('queued', 'waiting', 'running') AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
			ORDER BY due_at LIMIT ? ` + s.d.claimLock + `)
		RETURNING ` + runCols
	// A lease need not survive a power failure: it would only have expired.
	var list []*hookhub.WorkflowRun
	err := s.inRelaxedTx(ctx, func(tx *sql.Tx) error {
		rows, err := s.txQuery(ctx, tx, query, s.d.t(now.Add(lease)), s.d.t(now), s.d.t(now), s.d.t(now), s.d.t(now), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		list, err = scanAll(rows, scanRun)
		return err
	})
	if err != nil {
		return nil, s.check(err, "claim workflow runs")
	}
	sort.Slice(list, func(i, j int) bool {
		if !list[i].DueAt.Equal(list[j].DueAt) {
			return list[i].DueAt.Before(list[j].DueAt)
		}
		return list[i].ID < list[j].ID
	})
	return list, nil
}

// SaveRunProgress saves runs' progress in one relaxed transaction: each
// run's state only while the caller's claim is its latest (else the
// progress is marked Conflict and skipped), then the steps and events of
// the runs saved.
func (s *Store) SaveRunProgress(ctx context.Context, batch []*hookhub.RunProgress) error {
	if len(batch) == 0 {
		return nil
	}
	rows, err := s.progressRows(batch)
	if err != nil {
		return err
	}
	var outcomes [][]eventOutcome
	var conflict []bool
	err = s.inRelaxedTx(ctx, func(tx *sql.Tx) error {
		var err error
		conflict, outcomes, err = s.saveProgress(ctx, tx, batch, rows)
		return err
	})
	if err != nil {
		return s.check(err, "save workflow runs")
	}
	for i, p := range batch {
		p.Conflict = conflict[i]
		for j, ne := range p.Events {
			if !p.Conflict {
				outcomes[i][j].applyTo(ne)
			}
		}
	}
	return nil
}

// progressRow is one progress encoded before the transaction.
type progressRow struct {
	run    []any
	steps  [][]any
	events [][]any
}

func (s *Store) progressRows(batch []*hookhub.RunProgress) ([]progressRow, error) {
	rows := make([]progressRow, len(batch))
	for i, p := range batch {
		r := p.Run
		r.UpdatedAt = s.stamp(r.UpdatedAt)
		r.DueAt = s.stamp(r.DueAt)
		outputs, err := jsonText(nonNilMap(r.Outputs))
		if err != nil {
			return nil, fmt.Errorf("run %s outputs: %w", r.ID, err)
		}
		rows[i].run = []any{r.Status, r.Node, outputs, cleanText(r.Error), r.FailedNode, r.StepCount, s.d.t(r.DueAt),
			s.d.t(r.LeaseUntil), s.d.t(r.FinishedAt), s.d.t(r.UpdatedAt), r.ID, r.Claims}
		if rows[i].steps, err = s.stepRows(p.Steps); err != nil {
			return nil, err
		}
		if rows[i].events, err = s.encodeEvents(p.Events); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// saveProgress writes a batch in tx and reports, per progress, whether it
// conflicted, and the outcome of each event it saved.
func (s *Store) saveProgress(ctx context.Context, tx *sql.Tx, batch []*hookhub.RunProgress, rows []progressRow) ([]bool, [][]eventOutcome, error) {
	conflict := make([]bool, len(batch))
	outcomes := make([][]eventOutcome, len(batch))
	var steps [][]any
	var events []*hookhub.NewEvent
	var eventRows [][]any
	for i, row := range rows {
		res, err := s.txExec(ctx, tx, `UPDATE workflow_runs SET status = ?, node = ?, outputs = ?, error = ?, failed_node = ?,
			step_count = ?, due_at = ?, lease_until = ?, finished_at = ?, updated_at = ? WHERE id = ? AND claims = ?`, row.run...)
		if err != nil {
			return nil, nil, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, nil, err
		}
		if conflict[i] = n == 0; conflict[i] {
			continue
		}
		steps = append(steps, row.steps...)
		events = append(events, batch[i].Events...)
		eventRows = append(eventRows, row.events...)
	}
	if err := s.insertRows(ctx, tx, `INSERT INTO workflow_steps (run_id, seq, node, type, status, input, output, error, started_at, duration_ms)`, steps); err != nil {
		return nil, nil, fmt.Errorf("insert workflow steps: %w", err)
	}
	if len(events) == 0 {
		return conflict, outcomes, nil
	}
	out, err := s.saveEvents(ctx, tx, events, eventRows)
	if err != nil {
		return nil, nil, err
	}
	for i, p := range batch {
		if !conflict[i] {
			outcomes[i], out = out[:len(p.Events)], out[len(p.Events):]
		}
	}
	return conflict, outcomes, nil
}

func (s *Store) stepRows(steps []*hookhub.WorkflowStep) ([][]any, error) {
	rows := make([][]any, len(steps))
	for i, st := range steps {
		in, err := jsonText(st.Input)
		if err != nil {
			return nil, fmt.Errorf("step %d input: %w", st.Seq, err)
		}
		outJSON, err := jsonText(st.Output)
		if err != nil {
			return nil, fmt.Errorf("step %d output: %w", st.Seq, err)
		}
		rows[i] = []any{st.RunID, st.Seq, st.Node, st.Type, st.Status, in, outJSON, cleanText(st.Error),
			s.d.t(s.stamp(st.StartedAt)), st.DurationMS}
	}
	return rows, nil
}
