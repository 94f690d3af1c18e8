package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"

	"github.com/hookhub/hookhub/client"
)

func workflowsList(fs *flag.FlagSet, e *env) runner {
	api, l := addAPIFlags(fs, e), addListFlags(fs)
	return func(ctx context.Context, _ []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		return listOf(l, e, func(cursor string) (*client.Page[client.Workflow], error) {
			return c.ListWorkflows(ctx, client.ListOptions{Cursor: cursor, Limit: l.limit})
		}, "ID\tNAME\tENABLED\tVERSION\tSOURCE\tURL", func(w client.Workflow) []string {
			return []string{w.ID, w.Name, strconv.FormatBool(w.Enabled), strconv.Itoa(w.Version), w.SourceID, w.URL}
		})
	}
}

func workflowsGet(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	return func(ctx context.Context, args []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		w, err := c.GetWorkflow(ctx, args[0])
		if err != nil {
			return err
		}
		return printJSON(e.stdout, w)
	}
}

// workflowsRuns lists a workflow's runs, or shows one run with its steps.
func workflowsRuns(fs *flag.FlagSet, e *env) runner {
	api, l := addAPIFlags(fs, e), addListFlags(fs)
	status := fs.String("status", "", "only runs with this `status`: queued, running, waiting, succeeded or failed")
	return func(ctx context.Context, args []string) error {
		if len(args) < 1 || len(args) > 2 {
			return usagef("usage: hookhub workflows runs [flags] WORKFLOW_ID [RUN_ID]")
		}
		c, err := api.client()
		if err != nil {
			return err
		}
		if len(args) == 2 {
			run, err := c.GetWorkflowRun(ctx, args[0], args[1])
			if err != nil {
				return err
			}
			return printJSON(e.stdout, run)
		}
		return listOf(l, e, func(cursor string) (*client.Page[client.WorkflowRun], error) {
			return c.ListWorkflowRuns(ctx, args[0], client.RunListOptions{ListOptions: client.ListOptions{Cursor: cursor, Limit: l.limit}, Status: *status})
		}, "ID\tCREATED\tSTATUS\tEVENT\tNODE\tERROR", func(r client.WorkflowRun) []string {
			return []string{r.ID, when(r.CreatedAt), r.Status, r.EventID, dash(firstSet(r.FailedNode, r.Node)), dash(r.Error)}
		})
	}
}

func workflowsRerun(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	return func(ctx context.Context, args []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		run, err := c.RerunWorkflowRun(ctx, args[0], args[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "rerun %s of %s queued (status %s)\n", run.ID, args[1], run.Status)
		return nil
	}
}
