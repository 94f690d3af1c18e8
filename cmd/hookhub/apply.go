package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/hookhub/hookhub/client"
	"github.com/hookhub/hookhub/manifest"
)

const applyDetail = `The file lists destinations, sources and workflows by name, with the API's
JSON fields (see docs/cli.md). ${NAME} in a value is read from the environment.
Sources name their destinations by name ("destinations: [Ops receiver]") or
by ID ("destination_ids"), workflows their source ("source: Shop") and a
deliver node its destination ("destination: Ops receiver") the same way; an
unknown name stops the apply before any change. Objects are matched by
name: missing ones are created, differing ones updated, one line printed per
change; applying the same file again changes nothing. The API never shows secrets, so a secret
whose value changed in the file is sent only with --update-secrets.`

func applyCmd(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	file := fs.String("f", "", "the YAML `file` to apply (required; - for standard input)")
	dry := fs.Bool("dry-run", false, "print the changes without making them")
	prune := fs.Bool("prune", false, "also delete objects of the file's kinds that the file does not name")
	secrets := fs.Bool("update-secrets", false, "send every secret in the file, changed or not")
	return func(ctx context.Context, _ []string) error {
		if *file == "" {
			return usagef("apply: -f FILE is required")
		}
		data, err := readFile(e, *file)
		if err != nil {
			return err
		}
		f, err := manifest.Parse(data, e.getenv)
		if err != nil {
			return fmt.Errorf("%s: %w", *file, err)
		}
		c, err := api.client()
		if err != nil {
			return err
		}
		sum, err := manifest.Apply(ctx, f, collections(c), manifest.Options{DryRun: *dry, Prune: *prune, ResendSecrets: *secrets}, e.stdout)
		if err != nil {
			return err
		}
		switch {
		case sum == (manifest.Summary{}):
			fmt.Fprintln(e.stderr, "no changes")
		case *dry:
			fmt.Fprintf(e.stderr, "dry run: %d to create, %d to update, %d to delete; nothing was changed\n", sum.Created, sum.Updated, sum.Deleted)
		default:
			fmt.Fprintf(e.stderr, "%d created, %d updated, %d deleted\n", sum.Created, sum.Updated, sum.Deleted)
		}
		return nil
	}
}

func exportCmd(fs *flag.FlagSet, e *env) runner {
	api := addAPIFlags(fs, e)
	return func(ctx context.Context, _ []string) error {
		c, err := api.client()
		if err != nil {
			return err
		}
		out, err := manifest.Export(ctx, collections(c))
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(out)
		return err
	}
}

func collections(c *client.Client) manifest.API {
	return func(kind string) manifest.Collection { return c.Collection(kind) }
}

func readFile(e *env, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(e.stdin)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return data, nil
}
