package server

import (
	"net/http"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
	"github.com/hookhub/hookhub/workflow"
)

func (s *Server) handleCreateWorkflow(w http.ResponseWriter, r *http.Request) {
	var in workflowInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.Error(w, r, err)
		return
	}
	now := s.now().UTC()
	wf := &hookhub.Workflow{ID: hookhub.NewID(hookhub.PrefixWorkflow), Enabled: true, CreatedAt: now, UpdatedAt: now}
	in.apply(wf)
	src, err := s.workflowSource(r, wf, &in)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	if err := s.checkWorkflow(r, wf, src); err != nil {
		web.Error(w, r, err)
		return
	}
	var created *hookhub.Source
	if wf.OwnsSource {
		created = src
	}
	if err := s.store.CreateWorkflow(r.Context(), wf, created); err != nil {
		if hookhub.ErrorCode(err) == hookhub.ECONFLICT {
			err = hookhub.Errorf(hookhub.ECONFLICT, "field source_id: source %s already triggers a workflow", wf.SourceID)
		}
		web.Error(w, r, err)
		return
	}
	s.workflows.Forget(wf.SourceID)
	web.JSON(w, http.StatusCreated, s.workflowOut(wf, src))
}

// workflowSource returns the source a new workflow is bound to (source_id)
// or a new one made for it from trigger.auth, not yet stored.
func (s *Server) workflowSource(r *http.Request, wf *hookhub.Workflow, in *workflowInput) (*hookhub.Source, error) {
	var auth *verificationJSON
	if in.Trigger != nil {
		auth = in.Trigger.Auth
	}
	if in.SourceID != nil && *in.SourceID != "" {
		if auth != nil {
			return nil, hookhub.Errorf(hookhub.EINVALID,
				"field trigger.auth: a workflow bound to a source verifies as the source does; set the source's verification")
		}
		src, err := s.store.GetSource(r.Context(), *in.SourceID)
		if hookhub.ErrorCode(err) == hookhub.ENOTFOUND {
			return nil, hookhub.Errorf(hookhub.EINVALID, "field source_id: no source %s", *in.SourceID)
		}
		wf.SourceID = *in.SourceID
		return src, err
	}
	src := &hookhub.Source{
		ID: hookhub.NewID(hookhub.PrefixSource), Key: newSourceKey(), Type: hookhub.SourceGeneric, Active: true,
		AllowedMethods: []string{http.MethodPost}, ContentTypes: []string{"application/json"},
		CreatedAt: wf.CreatedAt, UpdatedAt: wf.UpdatedAt,
	}
	(&sourceInput{Verification: auth}).apply(src)
	wf.SourceID, wf.OwnsSource = src.ID, true
	return src, nil
}

// checkWorkflow fills defaults and compiles a workflow, checks that the
// destinations it delivers to exist, and keeps the source it owns in step:
// named after it, selecting what its trigger parses (so the inspector
// shows the trigger's variables).
func (s *Server) checkWorkflow(r *http.Request, wf *hookhub.Workflow, src *hookhub.Source) error {
	wf.SetDefaults()
	if _, err := workflow.Compile(wf); err != nil {
		return err
	}
	for _, n := range wf.Nodes {
		if n.Type != hookhub.NodeDeliver {
			continue
		}
		if _, err := s.store.GetDestination(r.Context(), n.DestinationID); hookhub.ErrorCode(err) == hookhub.ENOTFOUND {
			return hookhub.Errorf(hookhub.EINVALID, "node %q, field destination_id: no destination %s", n.ID, n.DestinationID)
		} else if err != nil {
			return err
		}
	}
	if !wf.OwnsSource {
		return nil
	}
	src.Name = sourceNameOf(wf.Name)
	src.Variables = workflow.Selections(wf.Trigger.Parse)
	if err := s.checkSource(r, src); err != nil {
		return hookhub.Errorf(hookhub.ErrorCode(err), "field trigger.auth: %s", hookhub.ErrorMessage(err))
	}
	return nil
}

// sourceNameOf names the source made for a workflow.
func sourceNameOf(name string) string {
	n := "Workflow: " + name
	if r := []rune(n); len(r) > 200 {
		n = string(r[:200])
	}
	return n
}

func (s *Server) handleGetWorkflow(w http.ResponseWriter, r *http.Request) {
	wf, src, err := s.loadWorkflow(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, s.workflowOut(wf, src))
}

// loadWorkflow reads the workflow named in the path and its source.
func (s *Server) loadWorkflow(r *http.Request) (*hookhub.Workflow, *hookhub.Source, error) {
	wf, err := s.store.GetWorkflow(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	src, err := s.store.GetSource(r.Context(), wf.SourceID)
	if err != nil {
		return nil, nil, err
	}
	return wf, src, nil
}

func (s *Server) handleListWorkflows(w http.ResponseWriter, r *http.Request) {
	page, err := pageOf(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	list, next, err := s.store.ListWorkflows(r.Context(), page)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	out := make([]workflowJSON, len(list))
	for i, wf := range list {
		src, err := s.store.GetSource(r.Context(), wf.SourceID)
		if err != nil {
			web.Error(w, r, err)
			return
		}
		out[i] = s.workflowOut(wf, src)
	}
	web.JSON(w, http.StatusOK, listJSON[workflowJSON]{Data: out, NextCursor: next})
}

func (s *Server) handleUpdateWorkflow(w http.ResponseWriter, r *http.Request) {
	var in workflowInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.Error(w, r, err)
		return
	}
	wf, src, err := s.loadWorkflow(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	if err := updateWorkflow(wf, src, &in); err != nil {
		web.Error(w, r, err)
		return
	}
	wf.UpdatedAt = s.now().UTC()
	if err := s.checkWorkflow(r, wf, src); err != nil {
		web.Error(w, r, err)
		return
	}
	var owned *hookhub.Source
	if wf.OwnsSource {
		src.UpdatedAt, owned = wf.UpdatedAt, src
	}
	if err := s.store.UpdateWorkflow(r.Context(), wf, owned); err != nil {
		web.Error(w, r, err)
		return
	}
	s.workflows.Forget(src.ID)
	web.JSON(w, http.StatusOK, s.workflowOut(wf, src))
}

// updateWorkflow applies a change; the source of a workflow stays its own.
func updateWorkflow(wf *hookhub.Workflow, src *hookhub.Source, in *workflowInput) error {
	if in.SourceID != nil && *in.SourceID != wf.SourceID {
		return hookhub.Errorf(hookhub.EINVALID, "field source_id: a workflow keeps its source; create another workflow instead")
	}
	if in.Trigger != nil && in.Trigger.Auth != nil {
		if !wf.OwnsSource {
			return hookhub.Errorf(hookhub.EINVALID,
				"field trigger.auth: a workflow bound to a source verifies as the source does; set the source's verification")
		}
		(&sourceInput{Verification: in.Trigger.Auth}).apply(src)
	}
	in.apply(wf)
	return nil
}

func (s *Server) handleDeleteWorkflow(w http.ResponseWriter, r *http.Request) {
	wf, src, err := s.loadWorkflow(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	if err := s.store.DeleteWorkflow(r.Context(), wf.ID); err != nil {
		web.Error(w, r, err)
		return
	}
	s.workflows.Forget(src.ID)
	w.WriteHeader(http.StatusNoContent)
}
